// Invite links (src/app/inviteLink.ts) with a real genesis made by src/ledger/makeGenesis.ts: a link
// reads back as the config it was made from (faucet dropped), and every way a link can lie or break is
// refused with a message that says what is wrong.
import { describe, expect, it } from 'vitest';
import { inviteLinkOf, inviteTextOf, readInvite } from '../../src/app/inviteLink.ts';
import type { NetworkConfig } from '../../src/core/network.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { makeGenesis } from '../../src/ledger/makeGenesis.ts';
import { GENESIS_TIME, makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';

const BASE = 'http://127.0.0.1:8080/';
const owner = personNamed('inviter');
const genesis = makeGenesis(owner, 10 ** 12, GENESIS_TIME);
const config: NetworkConfig = {
  name: 'Friends ☕',
  genesisId: genesis.id,
  genesisTx: new TextDecoder().decode(genesis.bytes),
  powUnit: 1,
  trackers: ['ws://127.0.0.1:8000'],
  faucet: null,
};

function linkOf(value: unknown): string {
  return `${BASE}#join=${Buffer.from(JSON.stringify(value)).toString('base64url')}`;
}

function read(link: string): Promise<NetworkConfig> {
  return readInvite(inviteTextOf(new URL(link).hash)!);
}

describe('invite links', () => {
  it('read back as the config they carry', async () => {
    const link = inviteLinkOf(config, BASE);
    expect(link.startsWith(`${BASE}#join=`)).toBe(true);
    expect(await read(link)).toEqual(config);
  });

  it('never carry a faucet: it is a path on the inviter’s server', async () => {
    const link = inviteLinkOf({ ...config, faucet: '/api/faucet' }, BASE);
    expect((await read(link)).faucet).toBeNull();
    expect((await read(linkOf({ ...config, faucet: '/api/faucet' }))).faucet).toBeNull();
  });

  it('carry the network’s ICE servers, checked and bounded', async () => {
    const iceServers = [
      { urls: ['stun:stun.example.org:3478'] },
      { urls: ['turn:turn.example.org'], username: 'u', credential: 'p' },
    ];
    expect(await read(inviteLinkOf({ ...config, iceServers }, BASE))).toEqual({ ...config, iceServers });
    // A single URL as text is read as a list of one.
    const one = await read(linkOf({ ...config, iceServers: [{ urls: 'stun:s.example.org' }] }));
    expect(one.iceServers).toEqual([{ urls: ['stun:s.example.org'] }]);
    for (const [bad, words] of [
      [[{ urls: 'https://example.org' }], 'stun:, turn: or turns: URLs'],
      [[{ urls: [] }], 'stun:, turn: or turns: URLs'],
      [[{ urls: Array(5).fill('stun:s.example.org') }], '1 to 4'],
      [Array(9).fill({ urls: 'stun:s.example.org' }), 'at most 8'],
      [[{ urls: 'stun:s.example.org', credential: 5 }], '"credential" must be text'],
      ['stun:s.example.org', 'must be a list'],
    ] as const) {
      await expect(read(linkOf({ ...config, iceServers: bad }))).rejects.toMatchObject({
        name: 'InviteLinkError',
        message: expect.stringContaining(words),
      });
    }
  });

  it('are recognised only by their #join= fragment', () => {
    expect(inviteTextOf('#pay?to=x')).toBeNull();
    expect(inviteTextOf('')).toBeNull();
    expect(inviteTextOf('#join=abc')).toBe('abc');
  });

  it('refuse a genesis changed after the id was taken', async () => {
    const tampered = { ...config, genesisTx: config.genesisTx.replace('1000000000000', '9000000000000') };
    await expect(read(linkOf(tampered))).rejects.toMatchObject({
      name: 'InviteLinkError',
      message: expect.stringContaining(`but the link names network ${genesis.id}`),
    });
  });

  it('refuse a transaction that has a parent, even under its own id', async () => {
    const network = makeTestNetwork();
    const payment = pay(network.owner, owner, 5, network.genesis.id);
    const text = new TextDecoder().decode(payment.bytes);
    expect(txIdOf(payment.bytes)).toBe(payment.id);
    await expect(read(linkOf({ ...config, genesisId: payment.id, genesisTx: text }))).rejects.toMatchObject({
      name: 'InviteLinkError',
      message: expect.stringContaining(`is not a genesis: its "prev" is ${network.genesis.id}`),
    });
  });

  it('refuse a genesis whose signature does not verify', async () => {
    const signature = JSON.parse(config.genesisTx).signature as string;
    const forged = config.genesisTx.replace(signature, `${signature.slice(0, -2)}00`);
    const id = txIdOf(new TextEncoder().encode(forged));
    await expect(read(linkOf({ ...config, genesisId: id, genesisTx: forged }))).rejects.toMatchObject({
      name: 'InviteLinkError',
      message: expect.stringContaining('bad-signature'),
    });
  });

  it('refuse damaged text, non-JSON and a config of the wrong shape, saying which', async () => {
    await expect(readInvite('%%%')).rejects.toMatchObject({ message: expect.stringContaining('damaged') });
    await expect(readInvite(Buffer.from('not json').toString('base64url'))).rejects.toMatchObject({
      message: expect.stringContaining('not JSON'),
    });
    await expect(read(linkOf({ ...config, trackers: ['http://x'] }))).rejects.toMatchObject({
      name: 'InviteLinkError',
      message: expect.stringContaining('"trackers" must be a list of ws:// or wss:// URLs'),
    });
    await expect(read(linkOf({ ...config, genesisId: 'ABC' }))).rejects.toMatchObject({
      message: expect.stringContaining('"genesisId" must be 40 lowercase hex characters, got "ABC"'),
    });
    await expect(read(linkOf({ ...config, name: 'x'.repeat(65) }))).rejects.toMatchObject({
      message: expect.stringContaining('"name" must be at most 64 characters, got 65'),
    });
    await expect(read(linkOf([config]))).rejects.toMatchObject({
      message: expect.stringContaining('expected a JSON object, got a list'),
    });
  });
});

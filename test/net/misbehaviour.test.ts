// A peer that lies is dropped and nothing it sent is stored as good: bytes under a wrong id, a frame out
// of shape, a transaction no honest node would relay. The rogue is a plain webtorrent client in the
// network swarm speaking `ut_ttx` with a hand-written extension.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { encodeTxFrame, encodeTxFrames, EXTENSION_NAME, WIRE_VERSION } from '../../src/net/txWireProtocol.ts';
import type { GossipWire } from '../../src/net/txGossip.ts';
import { startNodePeer, troubleOf, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { joinAsRogue, leave } from '../support/roguePeer.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const network = makeTestNetwork();
let tracker: TestTracker;
let honest: NodePeer;

beforeAll(async () => {
  tracker = await startTestTracker();
  honest = await startNodePeer(network, tracker.wsUrl);
}, 60_000);

afterAll(async () => {
  await honest?.close();
  await tracker?.close();
});

/**
 * Joins the swarm as a rogue that sends `frame` once the gossip handshake is done; resolves when the
 * honest node has dropped it (its own wire to the rogue closed, with the problem recorded). It waits on
 * those events, not on a clock: finding each other through the tracker can take one lonely re-announce
 * (15 s) and more on a loaded machine; the test's own time-out is the only limit.
 */
async function rogueSends(frame: Uint8Array): Promise<void> {
  const dropped = honest.nextMisbehaviour();
  class Rogue {
    constructor(private readonly wire: GossipWire) {
      wire.extendedHandshake.ttx = WIRE_VERSION;
    }
    onExtendedHandshake(): void {
      this.wire.extended(EXTENSION_NAME, frame);
    }
  }
  Object.defineProperty(Rogue.prototype, 'name', { value: EXTENSION_NAME });
  const client = joinAsRogue(network, tracker.wsUrl, Rogue);
  const trouble = troubleOf(client);
  try {
    await dropped;
    await waitFor('the wire to close', [honest], () => honest.node.status().swarmWires === 0);
  } finally {
    await leave(client);
  }
  expect(trouble, 'the rogue client').toEqual([]);
}

describe('a misbehaving peer', () => {
  it('sending bytes that do not hash to the id it claims is disconnected; nothing is stored', async () => {
    const real = pay(network.owner, personNamed('x'), 5, network.genesis.id);
    const before = honest.store.all().length;
    await rogueSends(encodeTxFrame('ab'.repeat(20), real.bytes));
    expect(honest.misbehaviour.at(-1)).toMatch(/do not hash/);
    expect(honest.store.all().length).toBe(before);
  }, 60_000);

  it('sending an invalid transaction is disconnected, and it is stored only as invalid', async () => {
    const forged = pay(personNamed('mallory'), personNamed('x'), 5, network.genesis.id); // not the owner
    await rogueSends(encodeTxFrame(forged.id, forged.bytes));
    await waitFor('the verdict', [honest], async () => (await honest.store.getTx(forged.id)) !== undefined);
    expect(honest.misbehaviour.at(-1)).toMatch(/wrong-owner/);
    expect((await honest.store.getTx(forged.id))?.status).toBe('invalid');
    expect(await honest.store.getBalance(personNamed('x').address)).toBe(0n);
  }, 60_000);

  it('a TXS frame with one item under a wrong id is disconnected; that item is not stored', async () => {
    const first = pay(network.owner, personNamed('y'), 5, network.genesis.id);
    const second = pay(network.owner, personNamed('z'), 5, network.genesis.id);
    const wrongId = 'cd'.repeat(20);
    const [frame, ...rest] = encodeTxFrames([first, { id: wrongId, bytes: second.bytes }]);
    expect(rest).toEqual([]);
    expect(frame![0]).toBe(0x08);
    await rogueSends(frame!);
    expect(honest.misbehaviour.at(-1)).toMatch(new RegExp(`do not hash to ${wrongId}`));
    expect(await honest.store.getTx(wrongId)).toBeUndefined();
    expect(await honest.store.getTx(second.id)).toBeUndefined();
  }, 60_000);

  it('a TXS frame out of shape is disconnected', async () => {
    await rogueSends(new Uint8Array([0x08, ...new Uint8Array(20), 0, 5, 1, 2]));
    expect(honest.misbehaviour.at(-1)).toMatch(/TXS frame with/);
  }, 60_000);

  it('sending a frame out of shape is disconnected', async () => {
    await rogueSends(new Uint8Array([0x02, ...encodeUtf8('not twenty bytes')]));
    expect(honest.misbehaviour.at(-1)).toMatch(/id list/);
  }, 60_000);
});

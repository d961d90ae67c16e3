// The Node side's verifier (node:crypto Ed25519 behind the strict rules) gives the strict verdict of
// PROTOCOL §4 on every ed25519-speccheck case, on every crafted case of the fast verifier, and on random
// and mutated signatures; raw node:crypto alone accepts the identity-key forgery, so these fail if the
// strict checks are taken away. Then the theft itself through the full node's import (what
// `torrenttx node --import` and the node's gossip run): tokens paid to the identity key's address stay put.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addressOfKey } from '../../src/core/address.ts';
import { bytesToHex, hexToBytes } from '../../src/core/hex.ts';
import { encodeWithId, type KeyPair } from '../../src/core/makeTx.ts';
import { nativeEd25519, nodeStrictVerifier } from '../../src/node/nativeEd25519Verifier.ts';
import { openFullNode } from '../../src/node/openFullNode.ts';
import { itGivesStrictVerdicts } from '../support/strictVerdicts.ts';
import { networkConfigOf } from '../support/fullNodeNetwork.ts';
import { makeTestNetwork, pay, personNamed, GENESIS_TIME } from '../support/testNetwork.ts';
import { edgeCases } from '../support/vectors.ts';

const dir = mkdtempSync(join(tmpdir(), 'torrenttx-native-verifier-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lax = nativeEd25519();
const verify = nodeStrictVerifier();
const IDENTITY = hexToBytes('0100000000000000000000000000000000000000000000000000000000000000');
/** R = identity, S = 0: satisfies [S]B = R + [k]A for the identity key A and any message. */
const FORGED = new Uint8Array([...IDENTITY, ...new Uint8Array(32)]);

describe('node:crypto Ed25519 behind the strict rules', () => {
  it('has all ten speccheck cases', () => expect(edgeCases).toHaveLength(10));
  // node:crypto and Node's WebCrypto are the same OpenSSL: they answer alike on every crafted case.
  itGivesStrictVerdicts('node:crypto', lax, verify);

  it('raw node:crypto alone accepts the identity-key forgery on any message; the strict rules refuse it', async () => {
    for (const text of ['', 'pay the thief', '{"tokens":1000000}']) {
      const message = new TextEncoder().encode(text);
      expect(lax(FORGED, message, IDENTITY)).toBe(true);
      expect(await verify(FORGED, message, IDENTITY)).toBe(false);
    }
  });
});

describe('the small-order theft through the full node', () => {
  it('a spend from the identity key with R = identity, S = 0 is stored invalid, and the tokens stay', async () => {
    const net = makeTestNetwork();
    const victimAddress = addressOfKey(IDENTITY);
    // Someone paid the identity key's address (by mistake, or to bait nodes into accepting the forgery).
    const paid = pay(net.owner, { address: victimAddress } as KeyPair, 5000, net.genesis.id);
    const thief = personNamed('thief');
    const theft = encodeWithId({
      tokens: 5000,
      to: thief.address,
      key: bytesToHex(IDENTITY),
      time: GENESIS_TIME + 2000,
      prev: paid.id,
      signature: bytesToHex(FORGED),
    });
    const full = await openFullNode({
      network: networkConfigOf(net, []),
      dataDir: join(dir, 'theft'),
      dht: false,
    });
    try {
      expect(await full.importLines([paid.bytes, theft.bytes])).toBe(2);
      expect(await full.store.getTx(paid.id)).toMatchObject({ status: 'accepted' });
      expect(await full.store.getTx(theft.id)).toMatchObject({ status: 'invalid', reason: 'bad-signature' });
      expect(await full.store.getBalance(victimAddress)).toBe(5000n);
      expect(await full.store.getBalance(thief.address)).toBe(0n);
    } finally {
      await full.close();
    }
  }, 60_000);
});

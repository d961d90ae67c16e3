// A small network for tests: deterministic keys (secret = SHA-256 of a name, as in the vectors), a
// genesis, and helpers to sign payments with the core.
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '../../src/core/hex.ts';
import { encodeWithId, keyPairOf, signTx, type EncodedTx, type KeyPair } from '../../src/core/makeTx.ts';
import type { NetworkParams } from '../../src/core/network.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';

export function personNamed(name: string): KeyPair {
  return keyPairOf(sha256(encodeUtf8(`torrenttx-test-${name}`)));
}

export const GENESIS_TIME = Date.parse('2026-01-01T00:00:00Z');

export interface TestNetwork {
  readonly params: NetworkParams;
  readonly genesis: EncodedTx;
  readonly owner: KeyPair;
}

export function makeTestNetwork(tokens = 1_000_000): TestNetwork {
  const owner = personNamed('genesis');
  const genesis = encodeWithId(
    signTx(
      { tokens, to: owner.address, key: owner.publicKey, time: GENESIS_TIME, prev: null },
      hexToBytes(owner.secretKey),
    ),
  );
  return { params: { genesisId: genesis.id, powUnit: 1n }, genesis, owner };
}

/** A payment from `from` (who must own `prev`) to `to`. */
export function pay(
  from: KeyPair,
  to: KeyPair,
  tokens: number,
  prev: string,
  time = GENESIS_TIME + 1000,
): EncodedTx {
  return encodeWithId(
    signTx({ tokens, to: to.address, key: from.publicKey, time, prev }, hexToBytes(from.secretKey)),
  );
}

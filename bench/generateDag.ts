// A generated payment DAG for benchmarks: a genesis and `size` − 1 payments among `people` keys, each
// spending part of an accepted output its signer owns, in an order any node could have seen them.
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '../src/core/hex.ts';
import { encodeWithId, keyPairOf, signTx, type KeyPair } from '../src/core/makeTx.ts';
import { encodeUtf8 } from '../src/core/utf8.ts';

export interface GeneratedDag {
  readonly genesisId: string;
  readonly txs: Uint8Array[];
}

/** A deterministic pseudo-random generator (mulberry32): the same DAG for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateDag(size: number, people = 500, seed = 1): GeneratedDag {
  const next = seededRandom(seed);
  const keys: KeyPair[] = [];
  for (let i = 0; i < people; i++) keys.push(keyPairOf(sha256(encodeUtf8(`bench-person-${i}`))));
  const secrets = keys.map((k) => hexToBytes(k.secretKey));
  const start = Date.parse('2026-01-01T00:00:00Z');
  const genesis = encodeWithId(
    signTx(
      { tokens: 2 ** 50, to: keys[0]!.address, key: keys[0]!.publicKey, time: start, prev: null },
      secrets[0]!,
    ),
  );
  // Spendable outputs: id, owner index, a conservative remaining (every spend reserves the largest
  // possible fee, 256 × powUnit, so no generated payment can overspend or conflict).
  const outputs: { id: string; owner: number; left: number; time: number }[] = [
    { id: genesis.id, owner: 0, left: 2 ** 50, time: start },
  ];
  const txs = [genesis.bytes];
  for (let i = 1; i < size; i++) {
    let pick = outputs[Math.floor(next() * outputs.length)]!;
    if (pick.left < 1000) pick = outputs[0]!;
    const tokens = 1 + Math.floor(next() * Math.min(pick.left / 4, 1e9));
    const to = Math.floor(next() * people);
    const time = pick.time + 1 + Math.floor(next() * 1000);
    const tx = encodeWithId(
      signTx(
        { tokens, to: keys[to]!.address, key: keys[pick.owner]!.publicKey, time, prev: pick.id },
        secrets[pick.owner]!,
      ),
    );
    pick.left -= tokens + 256;
    outputs.push({ id: tx.id, owner: to, left: tokens, time });
    txs.push(tx.bytes);
  }
  return { genesisId: genesis.id, txs };
}

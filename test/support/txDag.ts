// A deterministic random transaction DAG for store and node tests and benchmarks: payments that spend
// earlier payments (most accepted, some double spends), delivered a little out of order (children before
// parents, so orphans wait and cascade), plus a few bytes that are not transactions and one payment from
// the future. Same seed, same bytes.
import { seededRandom } from '../../bench/generateDag.ts';
import { hexToBytes } from '../../src/core/hex.ts';
import { encodeWithId, signTx, type EncodedTx, type KeyPair } from '../../src/core/makeTx.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { GENESIS_TIME, makeTestNetwork, personNamed, type TestNetwork } from './testNetwork.ts';

/** The node time the DAG is received at: after every payment's time, before the future one's. */
export const DAG_NOW = GENESIS_TIME + 30 * 24 * 3600 * 1000;

export interface TxDag {
  readonly network: TestNetwork;
  readonly people: readonly KeyPair[];
  /** Genesis first, then the payments in the order they were made (parents before children). */
  readonly made: readonly EncodedTx[];
  /** What a node receives, in order: `made` with some neighbours swapped, and the extras. */
  readonly delivery: readonly Uint8Array[];
}

export function makeTxDag(payments: number, seed = 1): TxDag {
  const next = seededRandom(seed);
  const pick = (n: number): number => Math.floor(next() * n);
  const network = makeTestNetwork(1_000_000_000);
  const people = Array.from({ length: 8 }, (_, i) => personNamed(`dag-${i}`));
  // What the maker believes is left of each output (fees are a few tokens at powUnit 1, hence the slack).
  const outputs: { tx: EncodedTx; owner: KeyPair; left: number; time: number }[] = [
    { tx: network.genesis, owner: network.owner, left: 1_000_000_000, time: GENESIS_TIME },
  ];
  const made: EncodedTx[] = [network.genesis];
  for (let i = 0; i < payments && outputs.length > 0; i++) {
    const index = pick(outputs.length);
    const from = outputs[index]!;
    const to = people[pick(people.length)]!;
    // One in twenty tries to spend everything the parent ever had: a double spend (conflict).
    const doubleSpend = next() < 0.05;
    const tokens = doubleSpend
      ? from.left
      : Math.max(1, Math.floor((from.left - 100) * (0.05 + next() * 0.3)));
    const time = from.time + 1 + pick(60_000);
    const tx = encodeWithId(
      signTx(
        { tokens, to: to.address, key: from.owner.publicKey, time, prev: from.tx.id },
        hexToBytes(from.owner.secretKey),
      ),
    );
    if (!doubleSpend) from.left -= tokens + 100;
    // Spent outputs leave the list (swap with the last: O(1)), so a 100k DAG builds in linear time.
    if (from.left <= 200) {
      outputs[index] = outputs[outputs.length - 1]!;
      outputs.pop();
    }
    if (tokens > 200) outputs.push({ tx, owner: to, left: tokens, time });
    made.push(tx);
  }
  const delivery = made.map((t) => t.bytes);
  // Swap some neighbours (never the genesis): a child arrives before its parent and waits as an orphan.
  for (let i = 2; i < delivery.length; i++) {
    if (next() < 0.1) [delivery[i - 1], delivery[i]] = [delivery[i]!, delivery[i - 1]!];
  }
  const someone = people[0]!;
  const future = encodeWithId(
    signTx(
      {
        tokens: 5,
        to: someone.address,
        key: network.owner.publicKey,
        time: DAG_NOW + 3600 * 1000,
        prev: network.genesis.id,
      },
      hexToBytes(network.owner.secretKey),
    ),
  );
  delivery.splice(Math.floor(delivery.length / 2), 0, encodeUtf8('{"not":"a tx"'), future.bytes);
  return { network, people, made, delivery };
}

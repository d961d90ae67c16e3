// A large accepted set for attack tests, made in a second instead of the ~40 s that signing 100,000 txs
// takes (bench/dagCache.ts): `size` accepted rows with seeded ids and times, committed straight into a
// MemoryLedgerStore. Only what reconciliation reads is real: the (time, id) pairs. Every honest node of a
// test gets the same rows, so none of them ever asks another for one (their sets reconcile equal), and
// the rows are never served or re-checked. A rogue that reconciled with the victim would know the same
// pairs; `acceptedSetOf` with the same seed gives them to the rogue's process.
import { seededRandom } from '../../bench/generateDag.ts';
import type { TxRecord } from '../../src/core/txRecord.ts';
import type { Inventory } from '../../src/net/gossipLedger.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { GENESIS_TIME } from './testNetwork.ts';

/** `size` (time, id) pairs, the same for the same seed: times over the month after the genesis. */
export function acceptedSetOf(size: number, seed = 16): Inventory {
  const next = seededRandom(seed);
  const ids: string[] = [];
  const times: number[] = [];
  const hex = (): string =>
    Math.floor(next() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  for (let i = 0; i < size; i++) {
    ids.push(hex() + hex() + hex() + hex() + hex());
    times.push(GENESIS_TIME + 1000 + Math.floor(next() * 30 * 24 * 3600 * 1000));
  }
  return { ids, times };
}

/** A store holding `set` as accepted rows (arrival 0..n−1), to start a node from. */
export async function storeWithAccepted(set: Inventory): Promise<MemoryLedgerStore> {
  const store = new MemoryLedgerStore();
  const records: TxRecord[] = set.ids.map((id, i) => ({
    id,
    arrival: i,
    bytes: null,
    sha256: id,
    tx: { tokens: 1, to: 'preloaded', key: 'preloaded', time: set.times[i]!, prev: null, signature: '' },
    prev: null,
    to: 'preloaded',
    status: 'accepted',
  }));
  await store.commit({ records, balances: new Map(), meta: { nextArrival: records.length } });
  return store;
}

// The IndexedDB ledger's database layout (schema version 4), shared by the store
// (src/storage/idbLedgerStore.ts) and its upgrades (src/storage/idbLedgerUpgrade.ts):
// - `txs`: one row per record (src/storage/storedTx.ts), keyed by the 20-byte id, with two sparse
//   indexes that hold held records only: waitingOn (orphans by parent) and dueAt (futures by time).
// - `log`: one row per committed batch, or a few for a large one (src/storage/ledgerLog.ts).
// - `meta`: next arrival, records per status, number of commits.
// - `settled` (since version 4): when each of the wallet's payments was found settled (ms), keyed by its
//   id in hex (src/storage/settledTimes.ts). Not ledger state: written outside the commit check.
import type { DBSchema, IDBPDatabase } from 'idb';
import type { TxStatus } from '../core/verdict.ts';
import type { LogRow } from './ledgerLog.ts';
import type { StoredTx } from './storedTx.ts';

export const LEDGER_SCHEMA_VERSION = 4;

export type StatusCounts = Record<TxStatus, number>;

export interface StoredMeta {
  readonly nextArrival: number;
  /** Records per status (since version 2). */
  readonly counts?: StatusCounts;
  /** Commits so far (since version 2): a connection that did not make the last one must not write. */
  readonly commits?: number;
  /** Which connection made the last commit, and its number there (since version 3). */
  readonly lastCommit?: string;
}

export interface LedgerDb extends DBSchema {
  txs: {
    key: Uint8Array<ArrayBuffer>;
    value: StoredTx;
    indexes: { waitingOn: string; dueAt: number };
  };
  log: { key: number; value: LogRow };
  meta: { key: string; value: StoredMeta };
  settled: { key: string; value: number };
}

export function ledgerDbName(genesisId: string): string {
  return `torrenttx-ledger-${genesisId}`;
}

export function zeroCounts(): StatusCounts {
  return { accepted: 0, conflict: 0, invalid: 0, orphan: 0, future: 0 };
}

/** The `txs` object store under `name`, with its indexes. */
export function createTxStore(db: IDBPDatabase<LedgerDb>, name: string) {
  const txs = db.createObjectStore(name as 'txs', { keyPath: 'id' });
  // Rows without the property (waitingOn on non-orphans, dueAt on non-futures) are left out of an index.
  txs.createIndex('waitingOn', 'waitingOn');
  txs.createIndex('dueAt', 'dueAt');
  return txs;
}

// Upgrades of the IndexedDB ledger to the current layout (src/storage/ledgerDbSchema.ts), run inside
// the versionchange transaction: a tab closed mid-upgrade leaves the old version whole. Each step takes
// one version to the next, so a database of any version reaches the current one.
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { TxRecord } from '../core/txRecord.ts';
import { LedgerLog, LogRowBuilder } from './ledgerLog.ts';
import { createTxStore, LEDGER_SCHEMA_VERSION, zeroCounts, type LedgerDb } from './ledgerDbSchema.ts';
import { fromStoredTx, toStoredTx, type StoredTx } from './storedTx.ts';

type UpgradeTx = IDBPTransaction<LedgerDb, StoreNames<LedgerDb>[], 'versionchange'>;

/** A log row of version 2: what one batch (or, compacted, many) changed; later rows win. */
interface LogRowV2 {
  readonly balances: [address: string, balance: bigint][];
  readonly spent: [id: string, spent: bigint][];
  readonly acceptedIds: string[];
  readonly acceptedArrivals: number[];
  readonly acceptedTimes: number[];
}

/** The version 2 log, folded. */
interface StateV2 {
  readonly balances: Map<string, bigint>;
  readonly spent: Map<string, bigint>;
  readonly accepted: { id: string; arrival: number; time: number }[];
}

/**
 * Takes the database from `oldVersion` to `newVersion` (the current one unless a test stops earlier to
 * make an old database).
 */
export async function upgradeLedgerDb(
  db: IDBPDatabase<LedgerDb>,
  oldVersion: number,
  transaction: UpgradeTx,
  newVersion = LEDGER_SCHEMA_VERSION,
): Promise<void> {
  if (oldVersion === 0) {
    createTxStore(db, 'txs');
    db.createObjectStore('log', { autoIncrement: true });
    db.createObjectStore('meta');
  } else if (oldVersion < 3) {
    const state = oldVersion === 1 ? await fromVersion1(db, transaction) : await readLogV2(transaction);
    await toVersion3(transaction, state);
  }
  if (oldVersion < 4 && newVersion >= 4) toVersion4(db);
}

/** Version 3 → 4: a store for when the wallet's payments were found settled (nothing to carry over). */
function toVersion4(db: IDBPDatabase<LedgerDb>): void {
  db.createObjectStore('settled');
}

/**
 * Version 1 → 2: compact rows without `spent` in a store keyed by binary ids; balances and `spent` left
 * the rows, the accepted ids and status counts were derived. Returns the state version 2 kept in its log.
 */
async function fromVersion1(db: IDBPDatabase<LedgerDb>, transaction: UpgradeTx): Promise<StateV2> {
  // Rows get binary keys, so they move to a new object store, which then takes the old one's name.
  const v1 = transaction as unknown as IDBPTransaction<
    {
      txs: { key: string; value: TxRecord };
      balances: { key: string; value: { address: string; balance: bigint } };
    },
    ['txs', 'balances'],
    'versionchange'
  >;
  const rows = createTxStore(db, 'txs-v2');
  const counts = zeroCounts();
  const state: StateV2 = { balances: new Map(), spent: new Map(), accepted: [] };
  for (let cursor = await v1.objectStore('txs').openCursor(); cursor; cursor = await cursor.continue()) {
    const record = cursor.value;
    counts[record.status]++;
    if (record.status === 'accepted') {
      state.accepted.push({ id: record.id, arrival: record.arrival, time: record.tx!.time });
      state.spent.set(record.id, record.spent ?? 0n);
    }
    await rows.put(toStoredTx(record));
  }
  db.deleteObjectStore('txs');
  rows.name = 'txs';
  for (const row of await v1.objectStore('balances').getAll()) state.balances.set(row.address, row.balance);
  db.deleteObjectStore('balances' as 'log');
  db.createObjectStore('log', { autoIncrement: true });
  const meta = transaction.objectStore('meta');
  const old = await meta.get('ledger');
  await meta.put({ nextArrival: old?.nextArrival ?? 0, counts, commits: 0 }, 'ledger');
  return state;
}

async function readLogV2(transaction: UpgradeTx): Promise<StateV2> {
  const rows = (await transaction.objectStore('log').getAll()) as unknown as LogRowV2[];
  const state: StateV2 = { balances: new Map(), spent: new Map(), accepted: [] };
  for (const row of rows) {
    for (const [address, balance] of row.balances) state.balances.set(address, balance);
    for (const [id, spent] of row.spent) state.spent.set(id, spent);
    row.acceptedIds.forEach((id, i) =>
      state.accepted.push({ id, arrival: row.acceptedArrivals[i]!, time: row.acceptedTimes[i]! }),
    );
  }
  return state;
}

/**
 * Version 2 → 3: the multi-entry `links` index (and the links in each row) go: what a record links to
 * moves to the log, in typed arrays, with the rest of the log (src/storage/ledgerLog.ts).
 */
async function toVersion3(transaction: UpgradeTx, state: StateV2): Promise<void> {
  const txs = transaction.objectStore('txs');
  if ((txs.indexNames as DOMStringList).contains('links')) txs.deleteIndex('links' as never);
  const log = new LogRowBuilder(new LedgerLog());
  for (let cursor = await txs.openCursor(); cursor; cursor = await cursor.continue()) {
    const { links, ...row } = cursor.value as StoredTx & { links?: unknown };
    const record = fromStoredTx(row);
    log.addRecord(record.id, record.tx);
    if (links !== undefined) await cursor.update(row);
  }
  state.accepted.sort((a, b) => a.arrival - b.arrival);
  for (const { id, arrival, time } of state.accepted) log.addAccepted(id, arrival, time);
  for (const [id, spent] of state.spent) log.setSpent(id, spent);
  for (const [address, balance] of state.balances) log.setBalance(address, balance);
  const logStore = transaction.objectStore('log');
  await logStore.clear();
  for (const row of log.build()) await logStore.add(row);
}

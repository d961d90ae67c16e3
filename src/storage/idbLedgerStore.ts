// The ledger in IndexedDB, through idb: one database per network, named by its genesis id. Every batch
// the ledger decides is written in one readwrite transaction, so a crash or a closed tab leaves either
// the whole batch or none of it. Schema changes go through `upgrade`, keyed by version.
//
// Layout (version 2), for the ledger's access pattern (src/core/ledgerBatch.ts: a batch's reads
// together, then one write). In Chromium each IndexedDB request is a round trip to the browser process,
// so the layout is about the number of requests per transaction as much as about bytes:
// - `txs`: one compact row per record (src/storage/storedTx.ts), written when the record gets a status,
//   never for a `spent` change. Indexes only where someone queries: one multi-entry `links` index for
//   a record's parent (childrenOf: conflict evidence, details, graph), recipient (sentTo: wallet history
//   and payments) and signing key (sentBy: wallet history), which costs much less to keep than three
//   indexes, and the sparse waitingOn (orphansOf) and dueAt (dueFutures), which hold held records only.
// - `log`: one row per batch with what changes often and is small: the balances it set, the `spent` of
//   the accepted records it spent from, and the ids it accepted (with their arrival). Read whole when
//   the database opens (and compacted into one row when it has grown past LOG_ROWS_BEFORE_COMPACTING).
// - `meta`: next arrival, the count of records per status, and the number of commits.
// In memory, written through in each batch's transaction: every id known (so an unknown id costs no
// read), every balance, every accepted record's `spent`, the accepted ids, the status counts, and which
// parents have orphans waiting (so "no orphan waits on this" costs no read).
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import {
  statusChangesOf,
  type LedgerChanges,
  type LedgerMeta,
  type LedgerStore,
  type TxRecord,
} from '../core/txRecord.ts';
import type { TxStatus } from '../core/verdict.ts';
import { addToIndex, removeFromIndex } from './idSetIndex.ts';
import { bytesToHex } from '../core/hex.ts';
import { fromStoredTx, linkOf, rowKeyOf, toStoredTx, type StoredTx } from './storedTx.ts';
import type { Inventory } from '../net/gossipLedger.ts';

export const LEDGER_SCHEMA_VERSION = 2;

/** Past this many log rows, opening the database folds them into one. */
export const LOG_ROWS_BEFORE_COMPACTING = 64;

const STATUSES: readonly TxStatus[] = ['accepted', 'conflict', 'invalid', 'orphan', 'future'];

type StatusCounts = Record<TxStatus, number>;

interface StoredMeta {
  readonly nextArrival: number;
  /** Records per status (since version 2). */
  readonly counts?: StatusCounts;
  /** Commits so far (since version 2): a connection that did not make the last one must not write. */
  readonly commits?: number;
}

/** What one batch (or, compacted, many) changed besides its records' rows. Later rows win. */
interface LogRow {
  readonly balances: [address: string, balance: bigint][];
  readonly spent: [id: string, spent: bigint][];
  readonly acceptedIds: string[];
  readonly acceptedArrivals: number[];
  /** tx.time of each accepted id: set reconciliation orders by (time, id). */
  readonly acceptedTimes: number[];
}

interface LedgerDb extends DBSchema {
  txs: {
    key: Uint8Array<ArrayBuffer>;
    value: StoredTx;
    indexes: { links: Uint8Array<ArrayBuffer>; waitingOn: string; dueAt: number };
  };
  log: { key: number; value: LogRow };
  meta: { key: string; value: StoredMeta };
}

/** Another connection (another tab of this network) wrote the ledger since this one last read it. */
export class LedgerChangedElsewhereError extends Error {
  override readonly name = 'LedgerChangedElsewhereError';
}

export function ledgerDbName(genesisId: string): string {
  return `torrenttx-ledger-${genesisId}`;
}

function zeroCounts(): StatusCounts {
  return { accepted: 0, conflict: 0, invalid: 0, orphan: 0, future: 0 };
}

type UpgradeTx = IDBPTransaction<LedgerDb, StoreNames<LedgerDb>[], 'versionchange'>;

/**
 * Version 1 → 2: compact rows without `spent`; of the seven indexes, waitingOn and dueAt stay, prev, to
 * and tx.key become the one `links` index, arrival and status go; balances, `spent`, the accepted ids and the status counts moved to the log and meta.
 */
async function upgradeFromVersion1(db: IDBPDatabase<LedgerDb>, transaction: UpgradeTx): Promise<void> {
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
  const accepted: { id: string; arrival: number; time: number; spent: bigint }[] = [];
  for (let cursor = await v1.objectStore('txs').openCursor(); cursor; cursor = await cursor.continue()) {
    const record = cursor.value;
    counts[record.status]++;
    if (record.status === 'accepted') {
      accepted.push({
        id: record.id,
        arrival: record.arrival,
        time: record.tx!.time,
        spent: record.spent ?? 0n,
      });
    }
    await rows.put(toStoredTx(record));
  }
  db.deleteObjectStore('txs');
  rows.name = 'txs';
  accepted.sort((a, b) => a.arrival - b.arrival);
  const balances = await v1.objectStore('balances').getAll();
  db.deleteObjectStore('balances' as 'log');
  await db.createObjectStore('log', { autoIncrement: true }).add({
    balances: balances.map((row) => [row.address, row.balance]),
    spent: accepted.map((a) => [a.id, a.spent]),
    acceptedIds: accepted.map((a) => a.id),
    acceptedArrivals: accepted.map((a) => a.arrival),
    acceptedTimes: accepted.map((a) => a.time),
  });
  const meta = transaction.objectStore('meta');
  const old = await meta.get('ledger');
  await meta.put({ nextArrival: old?.nextArrival ?? 0, counts, commits: 0 }, 'ledger');
}

function createTxStore(db: IDBPDatabase<LedgerDb>, name: string) {
  const txs = db.createObjectStore(name as 'txs', { keyPath: 'id' });
  // Rows without the property (waitingOn on non-orphans, dueAt on non-futures, links on records that
  // did not parse) are left out of an index.
  txs.createIndex('links', 'links', { multiEntry: true });
  txs.createIndex('waitingOn', 'waitingOn');
  txs.createIndex('dueAt', 'dueAt');
  return txs;
}

/** The in-memory state, folded from the log rows. */
class HotState {
  readonly balances = new Map<string, bigint>();
  readonly spent = new Map<string, bigint>();
  acceptedIds: string[] = [];
  acceptedArrivals: number[] = [];
  acceptedTimes: number[] = [];
  acceptedSorted = false;

  apply(row: LogRow): void {
    for (const [address, balance] of row.balances) this.balances.set(address, balance);
    for (const [id, spent] of row.spent) this.spent.set(id, spent);
    this.acceptedIds.push(...row.acceptedIds);
    this.acceptedArrivals.push(...row.acceptedArrivals);
    this.acceptedTimes.push(...row.acceptedTimes);
    if (row.acceptedIds.length > 0) this.acceptedSorted = false;
  }

  /** Accepted ids by arrival. */
  sortedAccepted(): string[] {
    if (!this.acceptedSorted) {
      const arrivals = this.acceptedArrivals;
      const order = this.acceptedIds.map((_, i) => i).sort((a, b) => arrivals[a]! - arrivals[b]!);
      this.acceptedIds = order.map((i) => this.acceptedIds[i]!);
      this.acceptedArrivals = order.map((i) => arrivals[i]!);
      this.acceptedTimes = order.map((i) => this.acceptedTimes[i]!);
      this.acceptedSorted = true;
    }
    return this.acceptedIds;
  }

  /** Everything as one log row. */
  compacted(): LogRow {
    return {
      balances: [...this.balances],
      spent: [...this.spent],
      acceptedIds: [...this.sortedAccepted()],
      acceptedArrivals: [...this.acceptedArrivals],
      acceptedTimes: [...this.acceptedTimes],
    };
  }
}

export class IdbLedgerStore implements LedgerStore {
  private constructor(
    private readonly db: IDBPDatabase<LedgerDb>,
    private meta: StoredMeta & { readonly counts: StatusCounts; readonly commits: number },
    private readonly hot: HotState,
    /** Every id the ledger has a record of. */
    private readonly known: Set<string>,
    /** Parent id → ids of the orphans waiting for it. Bounded by the held records the ledger keeps. */
    private readonly waiting: Map<string, Set<string>>,
  ) {}

  static async open(genesisId: string): Promise<IdbLedgerStore> {
    const db = await openDB<LedgerDb>(ledgerDbName(genesisId), LEDGER_SCHEMA_VERSION, {
      async upgrade(db, oldVersion, _newVersion, transaction) {
        if (oldVersion === 0) {
          createTxStore(db, 'txs');
          db.createObjectStore('log', { autoIncrement: true });
          db.createObjectStore('meta');
        } else if (oldVersion === 1) {
          await upgradeFromVersion1(db, transaction);
        }
      },
    });
    const read = db.transaction(['txs', 'log', 'meta'], 'readonly');
    const [meta, logRows, ids, orphans] = await Promise.all([
      read.objectStore('meta').get('ledger'),
      read.objectStore('log').getAll(),
      read.objectStore('txs').getAllKeys(),
      read.objectStore('txs').index('waitingOn').getAll(),
    ]);
    const hot = new HotState();
    for (const row of logRows) hot.apply(row);
    const waiting = new Map<string, Set<string>>();
    for (const orphan of orphans) addToIndex(waiting, orphan.waitingOn!, bytesToHex(orphan.id));
    const store = new IdbLedgerStore(
      db,
      {
        nextArrival: meta?.nextArrival ?? 0,
        counts: meta?.counts ?? zeroCounts(),
        commits: meta?.commits ?? 0,
      },
      hot,
      // Binary keys come back as ArrayBuffers.
      new Set(ids.map((key) => bytesToHex(new Uint8Array(key)))),
      waiting,
    );
    if (logRows.length > LOG_ROWS_BEFORE_COMPACTING) await store.compact();
    return store;
  }

  close(): void {
    this.db.close();
  }

  /** Replaces the log by one row holding the same state. */
  private async compact(): Promise<void> {
    const tx = this.db.transaction('log', 'readwrite');
    await Promise.all([tx.store.clear(), tx.store.add(this.hot.compacted()), tx.done]);
  }

  /** A stored row as a record: `spent` comes from the hot state. */
  private revive(stored: StoredTx): TxRecord {
    const record = fromStoredTx(stored);
    if (record.status !== 'accepted') return record;
    return { ...record, spent: this.hot.spent.get(record.id) ?? 0n };
  }

  async getTx(id: string): Promise<TxRecord | undefined> {
    if (!this.known.has(id)) return undefined;
    const stored = await this.db.get('txs', rowKeyOf(id));
    return stored && this.revive(stored);
  }

  /** LedgerStore.getTxs: the known ones read in one readonly transaction; unknown ones cost nothing. */
  async getTxs(ids: readonly string[]): Promise<(TxRecord | undefined)[]> {
    if (!ids.some((id) => this.known.has(id))) return ids.map(() => undefined);
    const txs = this.db.transaction('txs').store;
    const rows = await Promise.all(ids.map((id) => (this.known.has(id) ? txs.get(rowKeyOf(id)) : undefined)));
    return rows.map((stored) => stored && this.revive(stored));
  }

  async orphansOf(parentId: string): Promise<TxRecord[]> {
    if (!this.waiting.has(parentId)) return [];
    return this.sorted(this.db.getAllFromIndex('txs', 'waitingOn', parentId));
  }

  childrenOf(parentId: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'links', linkOf('prev', parentId)));
  }

  dueFutures(now: number): Promise<TxRecord[]> {
    if (this.meta.counts.future === 0) return Promise.resolve([]);
    return this.sorted(this.db.getAllFromIndex('txs', 'dueAt', IDBKeyRange.upperBound(now)));
  }

  /** Records sent to `address`, in arrival order (the wallet's view). */
  sentTo(address: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'links', linkOf('to', address)));
  }

  /** Records signed by `publicKey`, in arrival order. */
  sentBy(publicKey: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'links', linkOf('key', publicKey)));
  }

  /** Id and tx time of every accepted record, from memory (the log keeps both). */
  async acceptedInventory(): Promise<Inventory> {
    return { ids: [...this.hot.sortedAccepted()], times: [...this.hot.acceptedTimes] };
  }

  /** How many records have each status. */
  async statusCounts(): Promise<Record<string, number>> {
    return { ...this.meta.counts };
  }

  async count(): Promise<number> {
    return this.known.size;
  }

  async getBalance(address: string): Promise<bigint> {
    return this.hot.balances.get(address) ?? 0n;
  }

  async allBalances(): Promise<Map<string, bigint>> {
    return new Map([...this.hot.balances].filter(([, balance]) => balance !== 0n));
  }

  async getMeta(): Promise<LedgerMeta> {
    return { nextArrival: this.meta.nextArrival };
  }

  async commit(changes: LedgerChanges): Promise<void> {
    const previous = changes.previousStatus ?? (await this.previousStatusOf(changes.records));
    const { delta, newlyAccepted } = statusChangesOf(changes.records, previous);
    const counts = { ...this.meta.counts };
    for (const status of STATUSES) counts[status] += delta[status] ?? 0;
    const removed = changes.removed ?? [];
    for (const record of removed) counts[record.status]--;
    const meta = { nextArrival: changes.meta.nextArrival, counts, commits: this.meta.commits + 1 };
    // A record accepted before this batch can only have changed its `spent` (verdicts other than held
    // ones never change, PROTOCOL §5): that goes to the log, not to its row.
    const rows = changes.records.filter(
      (r) => !(r.status === 'accepted' && previous.get(r.id) === 'accepted'),
    );
    const logRow: LogRow = {
      balances: [...changes.balances],
      spent: changes.records.filter((r) => r.status === 'accepted').map((r) => [r.id, r.spent ?? 0n]),
      acceptedIds: newlyAccepted.map((r) => r.id),
      acceptedArrivals: newlyAccepted.map((r) => r.arrival),
      acceptedTimes: newlyAccepted.map((r) => r.tx!.time),
    };
    const tx = this.db.transaction(['txs', 'log', 'meta'], 'readwrite');
    const txs = tx.objectStore('txs');
    const metaStore = tx.objectStore('meta');
    // The in-memory state is this connection's: if another connection wrote in between, writing on top
    // of it would corrupt the ledger, so the batch is refused whole.
    const current = metaStore.get('ledger').then((stored) => {
      if ((stored?.commits ?? 0) === this.meta.commits) return;
      tx.abort();
      throw new LedgerChangedElsewhereError('another tab wrote this ledger; reload to continue');
    });
    // Requests run in order inside the one transaction; if any fails, the transaction aborts and
    // every write of the batch is rolled back, so Promise.all rejects with nothing half-written.
    // A put can also throw at once (DataCloneError): the requests made before it would still commit,
    // so the transaction is aborted by hand.
    const writes: Promise<unknown>[] = [current];
    try {
      for (const record of rows) writes.push(txs.put(toStoredTx(record)));
      for (const record of removed) writes.push(txs.delete(rowKeyOf(record.id)));
      writes.push(tx.objectStore('log').add(logRow));
      writes.push(metaStore.put(meta, 'ledger'));
    } catch (err) {
      tx.abort();
      await Promise.allSettled([...writes, tx.done]);
      throw err;
    }
    await Promise.all([...writes, tx.done]);
    // Only now that the batch is on disk does the memory follow.
    this.meta = meta;
    this.hot.apply(logRow);
    for (const record of changes.records) {
      this.known.add(record.id);
      if (record.status === 'orphan') addToIndex(this.waiting, record.waitingOn!, record.id);
      else if (record.prev !== null) removeFromIndex(this.waiting, record.prev, record.id);
    }
    for (const record of removed) {
      this.known.delete(record.id);
      if (record.waitingOn !== undefined) removeFromIndex(this.waiting, record.waitingOn, record.id);
    }
  }

  /** For a commit that did not say what its records were before: read their stored versions. */
  private async previousStatusOf(records: readonly TxRecord[]): Promise<Map<string, TxStatus>> {
    const before = await this.getTxs(records.map((r) => r.id));
    return new Map(before.flatMap((record) => (record ? [[record.id, record.status] as const] : [])));
  }

  private async sorted(rows: Promise<StoredTx[]>): Promise<TxRecord[]> {
    return (await rows).map((row) => this.revive(row)).sort((a, b) => a.arrival - b.arrival);
  }
}

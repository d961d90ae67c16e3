// The ledger in IndexedDB, through idb: one database per network, named by its genesis id. Every batch
// the ledger decides is written in one readwrite transaction, so a crash or a closed tab leaves either
// the whole batch or none of it. Schema changes go through src/storage/idbLedgerUpgrade.ts.
//
// Layout (version 4, src/storage/ledgerDbSchema.ts), for the ledger's access pattern
// (src/core/ledgerBatch.ts: a batch's reads together, then one write). In Chromium each IndexedDB
// request is a round trip to the browser process and each index entry a row of its own, so:
// - `txs`: one compact row per record (src/storage/storedTx.ts), written when the record gets a status,
//   never for a `spent` change. The only indexes are the sparse waitingOn (orphansOf) and dueAt
//   (dueFutures), which hold held records only: an accepted record costs one row and no index entry.
// - `log`: per batch, in typed arrays, what changes often or is read whole on open: what each new record
//   links to (parent, recipient, signing key: childrenOf, sentTo and sentBy scan these in memory), the
//   ids accepted (with arrival and tx time), `spent`, balances (src/storage/ledgerLog.ts). Opening reads
//   it whole; past LOG_ROWS_BEFORE_COMPACTING rows, small rows are merged afterwards, in the background.
// - `meta`: next arrival, the count of records per status, and the number of commits.
// - `settled` (version 4): when the wallet's payments were found settled (src/storage/settledTimes.ts).
// In memory (LedgerLog), written through after each batch's transaction: every id known (so an unknown
// id costs no read), every balance, every accepted record's `spent`, the accepted ids, the links, the
// status counts, and which parents have orphans waiting (so "no orphan waits on this" costs no read).
import { openDB, unwrap, type IDBPDatabase } from 'idb';
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
import { upgradeLedgerDb } from './idbLedgerUpgrade.ts';
import {
  LEDGER_SCHEMA_VERSION,
  ledgerDbName,
  zeroCounts,
  type LedgerDb,
  type StatusCounts,
  type StoredMeta,
} from './ledgerDbSchema.ts';
import {
  LedgerLog,
  LogRowBuilder,
  logRowEntries,
  MAX_LOG_ROW_ENTRIES,
  mergeLogRows,
  type LogRow,
} from './ledgerLog.ts';
import { fromStoredTx, rowKeyOf, toStoredTx, type StoredTx } from './storedTx.ts';
import { RecentRows } from './recentRows.ts';
import type { SettledTimes } from './settledTimes.ts';
import type { Inventory } from '../net/gossipLedger.ts';

export { LEDGER_SCHEMA_VERSION, ledgerDbName };

/**
 * Rows kept in memory after they were written or read (IdbLedgerStore.recent): ~700 bytes each in V8,
 * so ~35 MB at most. A batch's parents are found here instead of in a read that waits behind the
 * writes before it: joining 100,000 txs took 25.8 s with 10,000 rows kept, 22.6 s with 40,000.
 */
export const RECENT_ROWS = 50_000;

/**
 * How long after opening the log rows are merged. A reload with 100,000 stored showed its balance after
 * 848 ms without the merge and 1,090 ms with it, on the same (loaded) machine.
 */
export const COMPACT_AFTER_OPEN_MS = 2000;

/** Past this many log rows, opening the database merges small ones (afterwards, in the background). */
export const LOG_ROWS_BEFORE_COMPACTING = 64;

const STATUSES: readonly TxStatus[] = ['accepted', 'conflict', 'invalid', 'orphan', 'future'];

/** Another connection (another tab of this network) wrote the ledger since this one last read it. */
export class LedgerChangedElsewhereError extends Error {
  override readonly name = 'LedgerChangedElsewhereError';
}

/** A write of this connection failed earlier: what was decided on it must not be written. */
export class LedgerWriteFailedError extends Error {
  override readonly name = 'LedgerWriteFailedError';
}

/**
 * Runs of adjacent rows to merge into one each: up to MAX_LOG_ROW_ENTRIES entries of each kind, and a
 * row that deletes records ends its run (a record deleted, then received again, must stay known).
 */
function compactionRuns(rows: readonly LogRow[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  let entries = 0;
  rows.forEach((row, i) => {
    const size = logRowEntries(row);
    if (run.length > 0 && entries + size > MAX_LOG_ROW_ENTRIES) {
      runs.push(run);
      [run, entries] = [[], 0];
    }
    run.push(i);
    entries += size;
    if (row.removed.length > 0) {
      runs.push(run);
      [run, entries] = [[], 0];
    }
  });
  if (run.length > 0) runs.push(run);
  return runs.filter((r) => r.length > 1);
}

type MetaState = StoredMeta & { readonly counts: StatusCounts; readonly commits: number };

/** What the store keeps in memory, as read from the database. */
async function readState(
  db: IDBPDatabase<LedgerDb>,
): Promise<{ meta: MetaState; log: LedgerLog; waiting: Map<string, Set<string>>; logRows: LogRow[] }> {
  const read = db.transaction(['txs', 'log', 'meta'], 'readonly');
  const [meta, logRows, orphans] = await Promise.all([
    read.objectStore('meta').get('ledger'),
    read.objectStore('log').getAll(),
    read.objectStore('txs').index('waitingOn').getAll(),
  ]);
  const log = new LedgerLog();
  for (const row of logRows) log.apply(row);
  const waiting = new Map<string, Set<string>>();
  for (const orphan of orphans) addToIndex(waiting, orphan.waitingOn!, bytesToHex(orphan.id));
  return {
    meta: {
      nextArrival: meta?.nextArrival ?? 0,
      counts: meta?.counts ?? zeroCounts(),
      commits: meta?.commits ?? 0,
      ...(meta?.lastCommit === undefined ? {} : { lastCommit: meta.lastCommit }),
    },
    log,
    waiting,
    logRows,
  };
}

export class IdbLedgerStore implements LedgerStore, SettledTimes {
  private constructor(
    private readonly db: IDBPDatabase<LedgerDb>,
    private meta: MetaState,
    private log: LedgerLog,
    /** Parent id → ids of the orphans waiting for it. Bounded by the held records the ledger keeps. */
    private waiting: Map<string, Set<string>>,
  ) {}

  static async open(genesisId: string): Promise<IdbLedgerStore> {
    const db = await openDB<LedgerDb>(ledgerDbName(genesisId), LEDGER_SCHEMA_VERSION, {
      upgrade: (db, oldVersion, _newVersion, transaction) => upgradeLedgerDb(db, oldVersion, transaction),
    });
    const state = await readState(db);
    const store = new IdbLedgerStore(db, state.meta, state.log, state.waiting);
    // Not awaited: the ledger is ready now, and merging changes nothing it answers. Merged only when
    // some rows would merge (an opening that would merge nothing reads nothing again), and a moment
    // later: the page's first reads (the balance) come first, not behind a merge of hundreds of rows.
    const rows = state.logRows;
    if (rows.length > LOG_ROWS_BEFORE_COMPACTING && compactionRuns(rows).length > 0) {
      store.compacting = new Promise((resolve) => setTimeout(resolve, COMPACT_AFTER_OPEN_MS))
        .then(() => store.compact())
        .catch(() => undefined); // a store closed meanwhile merges next time
    }
    return store;
  }

  /** Reads the memory again from the database (after a failed write left it ahead). */
  private async reload(): Promise<void> {
    this.epoch++;
    this.written = undefined;
    this.recent.clear();
    const state = await readState(this.db);
    [this.meta, this.log, this.waiting] = [state.meta, state.log, state.waiting];
  }

  /**
   * Rows this connection wrote or read lately (~700 bytes each in memory): a batch's parents are read from
   * here, not from the database, while catching up. Only this connection writes the rows (the ledger
   * writer lock, the commit check), and `spent`, the one field that changes on accepted rows, comes
   * from the log, so a row here is the stored row.
   */
  private readonly recent = new RecentRows<StoredTx>(RECENT_ROWS);
  /** The meta of the last commit known to be on disk, where it is behind `meta` (statusCounts). */
  private written: MetaState | undefined;
  /** Counts writes and reloads: a row read before one of them may be older than `recent`'s. */
  private epoch = 0;

  /** Names this connection's commits (StoredMeta.lastCommit). */
  private readonly connection = bytesToHex(crypto.getRandomValues(new Uint8Array(8)));
  /** The first write of this connection that failed: no commit is written after it. */
  private failure: Error | undefined;

  /** The background merge of log rows started by open, if any (tests wait for it). */
  compacting: Promise<void> = Promise.resolve();

  close(): void {
    this.db.close();
  }

  async settledTimes(ids: readonly string[]): Promise<(number | undefined)[]> {
    const read = this.db.transaction('settled');
    return Promise.all(ids.map((id) => read.store.get(id)));
  }

  // Not ledger state, so outside the commit check: another connection writing these harms nothing.
  async noteSettled(entries: readonly (readonly [string, number])[]): Promise<void> {
    const write = this.db.transaction('settled', 'readwrite');
    for (const [id, at] of entries) void write.store.put(at, id);
    await write.done;
  }

  /** Rows in the log (for tests of the merge). */
  async logRowCount(): Promise<number> {
    return this.db.count('log');
  }

  /**
   * Merges runs of small log rows into one row each, in one transaction that reads the rows it merges:
   * the fold of the log, and so everything the store answers, stays the same.
   */
  private async compact(): Promise<void> {
    const tx = this.db.transaction('log', 'readwrite');
    const [keys, rows] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    const writes: Promise<unknown>[] = [];
    for (const run of compactionRuns(rows)) {
      const first = keys[run[0]!]!;
      writes.push(tx.store.delete(IDBKeyRange.bound(first, keys[run[run.length - 1]!]!)));
      writes.push(tx.store.put(mergeLogRows(run.map((i) => rows[i]!)), first));
    }
    await Promise.all([...writes, tx.done]);
  }

  /** A stored row as a record: `spent` comes from the log. */
  private revive(stored: StoredTx): TxRecord {
    const record = fromStoredTx(stored);
    if (record.status !== 'accepted') return record;
    return { ...record, spent: this.log.spent.get(record.id) ?? 0n };
  }

  async getTx(id: string): Promise<TxRecord | undefined> {
    return (await this.getTxs([id]))[0];
  }

  /**
   * LedgerStore.getTxs: unknown ones cost nothing, recent ones are in memory, the rest are read in one
   * readonly transaction.
   */
  async getTxs(ids: readonly string[]): Promise<(TxRecord | undefined)[]> {
    const rows = ids.map((id) => (this.log.known.has(id) ? (this.recent.get(id) ?? null) : undefined));
    if (rows.includes(null)) {
      const epoch = this.epoch;
      const txs = this.db.transaction('txs').store;
      await Promise.all(
        ids.map(async (id, i) => {
          if (rows[i] !== null) return;
          rows[i] = await txs.get(rowKeyOf(id));
          // Kept if nothing was written meanwhile (a write's newer row must not be overwritten), or if
          // it is accepted: an accepted row never changes (`spent` is in the log).
          const row = rows[i];
          if (row && (epoch === this.epoch || row.status === 'accepted')) this.recent.set(id, row);
        }),
      );
    }
    return rows.map((stored) => (stored ? this.revive(stored) : undefined));
  }

  /** LedgerStore.warm: reads the known rows not in memory into `recent` (accepted ones stay there). */
  warm(ids: readonly string[]): void {
    const missing = ids.filter((id) => this.log.known.has(id) && this.recent.get(id) === undefined);
    if (missing.length > 0) this.getTxs(missing).catch(() => undefined); // only a hint: reads report their own errors
  }

  async orphansOf(parentId: string): Promise<TxRecord[]> {
    if (!this.waiting.has(parentId)) return [];
    return this.sorted(this.db.getAllFromIndex('txs', 'waitingOn', parentId));
  }

  childrenOf(parentId: string): Promise<TxRecord[]> {
    return this.rowsOf(this.log.childIds(parentId));
  }

  dueFutures(now: number): Promise<TxRecord[]> {
    if (this.meta.counts.future === 0) return Promise.resolve([]);
    return this.sorted(this.db.getAllFromIndex('txs', 'dueAt', IDBKeyRange.upperBound(now)));
  }

  /** Records sent to `address`, in arrival order (the wallet's view). */
  sentTo(address: string): Promise<TxRecord[]> {
    return this.rowsOf(this.log.idsSentTo(address));
  }

  /** Records signed by `publicKey`, in arrival order. */
  sentBy(publicKey: string): Promise<TxRecord[]> {
    return this.rowsOf(this.log.idsSentBy(publicKey));
  }

  /** Id and tx time of every accepted record, from memory (the log keeps both). */
  async acceptedInventory(): Promise<Inventory> {
    return this.log.acceptedInventory();
  }

  /**
   * How many records have each status, as written: a batch counts once it is on disk, not when it is
   * issued, so a count the page shows survives the tab closing (the ledger decides ahead of its writes).
   */
  async statusCounts(): Promise<Record<string, number>> {
    return { ...(this.written ?? this.meta).counts };
  }

  async count(): Promise<number> {
    return this.log.known.size;
  }

  async getBalance(address: string): Promise<bigint> {
    return this.log.balances.get(address) ?? 0n;
  }

  async allBalances(): Promise<Map<string, bigint>> {
    return new Map([...this.log.balances].filter(([, balance]) => balance !== 0n));
  }

  async getMeta(): Promise<LedgerMeta> {
    return { nextArrival: this.meta.nextArrival };
  }

  /**
   * LedgerStore.commit. With `previousStatus` given, the memory follows the batch before this returns:
   * reads made from then on see it (IndexedDB runs this transaction before any later one on these
   * stores), and a later commit can be issued before this one is on disk.
   */
  commit(changes: LedgerChanges): Promise<void> {
    if (this.failure !== undefined) {
      const why = `${this.failure.name}: ${this.failure.message}`;
      return Promise.reject(
        new LedgerWriteFailedError(`an earlier write failed (${why}); reopen the ledger`),
      );
    }
    if (changes.previousStatus === undefined) {
      return this.previousStatusOf(changes.records).then((previous) => this.write(changes, previous));
    }
    return this.write(changes, changes.previousStatus);
  }

  private write(changes: LedgerChanges, previous: ReadonlyMap<string, TxStatus>): Promise<void> {
    const { delta, newlyAccepted } = statusChangesOf(changes.records, previous);
    const counts = { ...this.meta.counts };
    for (const status of STATUSES) counts[status] += delta[status] ?? 0;
    const removed = changes.removed ?? [];
    for (const record of removed) counts[record.status]--;
    const before = this.meta;
    const meta = {
      nextArrival: changes.meta.nextArrival,
      counts,
      commits: before.commits + 1,
      lastCommit: `${this.connection}:${before.commits + 1}`,
    };
    // A record accepted before this batch can only have changed its `spent` (verdicts other than held
    // ones never change, PROTOCOL §5): that goes to the log, not to its row.
    const rows = changes.records.filter(
      (r) => !(r.status === 'accepted' && previous.get(r.id) === 'accepted'),
    );
    const logRows = this.logRowsOf(changes, previous, newlyAccepted);
    const tx = this.db.transaction(['txs', 'log', 'meta'], 'readwrite');
    const txs = tx.objectStore('txs');
    const metaStore = tx.objectStore('meta');
    // The in-memory state is this connection's: if another connection wrote in between (or a batch
    // this one was decided on failed), writing on top of it would corrupt the ledger, so the batch is
    // refused whole. The last commit is named by connection, so another tab's commit never passes for
    // the one this batch follows.
    const current = metaStore.get('ledger').then((stored) => {
      if ((stored?.commits ?? 0) === before.commits && stored?.lastCommit === before.lastCommit) return;
      tx.abort();
      throw new LedgerChangedElsewhereError('another tab wrote this ledger; reload to continue');
    });
    // Requests run in order inside the one transaction; if any fails, the transaction aborts and
    // every write of the batch is rolled back, so Promise.all rejects with nothing half-written.
    // A put can also throw at once (DataCloneError): the requests made before it would still commit,
    // so the transaction is aborted by hand, and the memory has not moved.
    const writes: Promise<unknown>[] = [current];
    const written: [string, StoredTx][] = [];
    try {
      // The rows go through the plain IDBObjectStore: a failed put aborts the transaction, which
      // tx.done reports, so a promise and two listeners per row (idb's wrapper) would buy nothing.
      const plainTxs = unwrap(txs);
      for (const record of rows) {
        const stored = toStoredTx(record);
        plainTxs.put(stored);
        written.push([record.id, stored]);
      }
      for (const record of removed) writes.push(txs.delete(rowKeyOf(record.id)));
      for (const row of logRows) writes.push(tx.objectStore('log').add(row));
      writes.push(metaStore.put(meta, 'ledger'));
    } catch (err) {
      tx.abort();
      return Promise.allSettled([...writes, tx.done]).then(() => Promise.reject(err as Error));
    }
    this.meta = meta;
    this.epoch++;
    for (const row of logRows) this.log.apply(row);
    for (const [id, stored] of written) this.recent.set(id, stored);
    for (const record of removed) this.recent.delete(record.id);
    for (const record of changes.records) {
      if (record.status === 'orphan') addToIndex(this.waiting, record.waitingOn!, record.id);
      else if (record.prev !== null) removeFromIndex(this.waiting, record.prev, record.id);
    }
    for (const record of removed) {
      if (record.waitingOn !== undefined) removeFromIndex(this.waiting, record.waitingOn, record.id);
    }
    // If the write fails, the memory is ahead of the database and later batches may have been decided
    // on it: commits issued meanwhile fail the check above, later ones are refused, and the memory is
    // read again from the database so that reads answer as stored.
    this.written ??= before;
    return Promise.all([...writes, tx.done]).then(
      () => {
        // IndexedDB completes transactions in order: the last one done is the newest on disk.
        this.written = this.meta === meta ? undefined : meta;
      },
      async (err: unknown) => {
        this.failure ??= err as Error;
        await this.reload();
        throw err;
      },
    );
  }

  /** The log rows of a batch: new records' links, accepted ids, `spent`, balances, deleted records. */
  private logRowsOf(
    changes: LedgerChanges,
    previous: ReadonlyMap<string, TxStatus>,
    newlyAccepted: readonly TxRecord[],
  ): LogRow[] {
    const builder = new LogRowBuilder(this.log);
    for (const record of changes.records) {
      if (!previous.has(record.id)) builder.addRecord(record.id, record.tx);
      if (record.status === 'accepted') builder.setSpent(record.id, record.spent ?? 0n);
    }
    for (const record of changes.removed ?? []) builder.removeRecord(record.id);
    for (const record of newlyAccepted) builder.addAccepted(record.id, record.arrival, record.tx!.time);
    for (const [address, balance] of changes.balances) builder.setBalance(address, balance);
    return builder.build();
  }

  /** For a commit that did not say what its records were before: read their stored versions. */
  private async previousStatusOf(records: readonly TxRecord[]): Promise<Map<string, TxStatus>> {
    const before = await this.getTxs(records.map((r) => r.id));
    return new Map(before.flatMap((record) => (record ? [[record.id, record.status] as const] : [])));
  }

  private async sorted(rows: Promise<StoredTx[]>): Promise<TxRecord[]> {
    return (await rows).map((row) => this.revive(row)).sort((a, b) => a.arrival - b.arrival);
  }

  /** The records of `ids` that have a row, in arrival order. */
  private async rowsOf(ids: readonly string[]): Promise<TxRecord[]> {
    if (ids.length === 0) return [];
    const records = await this.getTxs(ids);
    return records.filter((r): r is TxRecord => r !== undefined).sort((a, b) => a.arrival - b.arrival);
  }
}

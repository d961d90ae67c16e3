// The ledger in IndexedDB, through idb: one database per network, named by its genesis id. Every batch
// the ledger decides is written in one readwrite transaction, so a crash or a closed tab leaves either
// the whole batch or none of it. Schema changes go through `upgrade`, keyed by version.
//
// Layout (version 2), for the ledger's access pattern (src/core/ledgerBatch.ts: a batch's reads
// together, then one write) and the app's queries, and nothing more:
// - `txs`: one compact row per record (src/storage/storedTx.ts), with the indexes someone queries:
//   prev (childrenOf: conflict evidence, details, graph), to (sentTo: wallet history and payments),
//   key (sentBy: wallet history), and the sparse waitingOn (orphansOf) and dueAt (dueFutures), which
//   hold held records only.
// - `accepted`: an append-only log, one row per batch, of the ids that batch accepted with their
//   arrival: the gossip inventory reads it, not a scan of every record.
// - `balances` by address, and `meta`: next arrival and the count of records per status.
// Hot state lives in memory and is written through in each batch's transaction: every balance, the
// status counts, the next arrival, which parents have orphans waiting (so the common "no orphans wait
// on this" costs no read), and, once asked for, the accepted ids.
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
import { fromStoredTx, toStoredTx, type StoredTx } from './storedTx.ts';

export const LEDGER_SCHEMA_VERSION = 2;

const STATUSES: readonly TxStatus[] = ['accepted', 'conflict', 'invalid', 'orphan', 'future'];

type StatusCounts = Record<TxStatus, number>;

interface StoredMeta {
  readonly nextArrival: number;
  /** Records per status (since version 2). */
  readonly counts?: StatusCounts;
  /** Commits so far (since version 2): a connection that did not make the last one must not write. */
  readonly commits?: number;
}

/** Another connection (another tab of this network) wrote the ledger since this one last read it. */
export class LedgerChangedElsewhereError extends Error {
  override readonly name = 'LedgerChangedElsewhereError';
}

/** One batch's newly accepted records: ids and their arrivals, index for index. */
interface AcceptedRow {
  readonly ids: string[];
  readonly arrivals: number[];
}

interface LedgerDb extends DBSchema {
  txs: {
    key: string;
    value: StoredTx;
    indexes: { prev: string; to: string; key: string; waitingOn: string; dueAt: number };
  };
  accepted: { key: number; value: AcceptedRow };
  balances: { key: string; value: { address: string; balance: bigint } };
  meta: { key: string; value: StoredMeta };
}

export function ledgerDbName(genesisId: string): string {
  return `torrenttx-ledger-${genesisId}`;
}

function zeroCounts(): StatusCounts {
  return { accepted: 0, conflict: 0, invalid: 0, orphan: 0, future: 0 };
}

type UpgradeTx = IDBPTransaction<LedgerDb, StoreNames<LedgerDb>[], 'versionchange'>;

/** Version 1 → 2: compact rows, the unqueried indexes dropped, status counts and the accepted log made. */
async function upgradeFromVersion1(db: IDBPDatabase<LedgerDb>, transaction: UpgradeTx): Promise<void> {
  const txs = transaction.objectStore('txs');
  // Version 1 indexed arrival, status and tx.key; version 2 indexes the top-level key instead.
  for (const name of ['arrival', 'status', 'key']) txs.deleteIndex(name as 'key');
  txs.createIndex('key', 'key');
  const counts = zeroCounts();
  const accepted: { id: string; arrival: number }[] = [];
  for (let cursor = await txs.openCursor(); cursor; cursor = await cursor.continue()) {
    const record = cursor.value as unknown as TxRecord;
    counts[record.status]++;
    if (record.status === 'accepted') accepted.push({ id: record.id, arrival: record.arrival });
    await cursor.update(toStoredTx(record));
  }
  accepted.sort((a, b) => a.arrival - b.arrival);
  const log = db.createObjectStore('accepted', { autoIncrement: true });
  if (accepted.length > 0) {
    await log.add({ ids: accepted.map((a) => a.id), arrivals: accepted.map((a) => a.arrival) });
  }
  const meta = transaction.objectStore('meta');
  const old = await meta.get('ledger');
  await meta.put({ nextArrival: old?.nextArrival ?? 0, counts }, 'ledger');
}

export class IdbLedgerStore implements LedgerStore {
  /** Accepted ids and arrivals, loaded on first use, then kept up to date by each commit. */
  private accepted: { ids: string[]; arrivals: number[]; sorted: boolean } | undefined;
  private acceptedLoad: Promise<void> | undefined;

  private constructor(
    private readonly db: IDBPDatabase<LedgerDb>,
    private meta: StoredMeta & { readonly counts: StatusCounts; readonly commits: number },
    private readonly balances: Map<string, bigint>,
    /** Parent id → ids of the orphans waiting for it. Bounded by the held records the ledger keeps. */
    private readonly waiting: Map<string, Set<string>>,
  ) {}

  static async open(genesisId: string): Promise<IdbLedgerStore> {
    const db = await openDB<LedgerDb>(ledgerDbName(genesisId), LEDGER_SCHEMA_VERSION, {
      async upgrade(db, oldVersion, _newVersion, transaction) {
        if (oldVersion === 0) {
          const txs = db.createObjectStore('txs', { keyPath: 'id' });
          // Rows without the property (waitingOn on non-orphans, dueAt on non-futures, prev on the
          // genesis, to and key on records that did not parse) are left out of an index.
          txs.createIndex('prev', 'prev');
          txs.createIndex('to', 'to');
          txs.createIndex('key', 'key');
          txs.createIndex('waitingOn', 'waitingOn');
          txs.createIndex('dueAt', 'dueAt');
          db.createObjectStore('accepted', { autoIncrement: true });
          db.createObjectStore('balances', { keyPath: 'address' });
          db.createObjectStore('meta');
        } else if (oldVersion === 1) {
          await upgradeFromVersion1(db, transaction);
        }
      },
    });
    const read = db.transaction(['txs', 'balances', 'meta'], 'readonly');
    const [meta, balanceRows, orphans] = await Promise.all([
      read.objectStore('meta').get('ledger'),
      read.objectStore('balances').getAll(),
      read.objectStore('txs').index('waitingOn').getAll(),
    ]);
    const waiting = new Map<string, Set<string>>();
    for (const orphan of orphans) addToIndex(waiting, orphan.waitingOn!, orphan.id);
    return new IdbLedgerStore(
      db,
      {
        nextArrival: meta?.nextArrival ?? 0,
        counts: meta?.counts ?? zeroCounts(),
        commits: meta?.commits ?? 0,
      },
      new Map(balanceRows.map((row) => [row.address, row.balance])),
      waiting,
    );
  }

  close(): void {
    this.db.close();
  }

  async getTx(id: string): Promise<TxRecord | undefined> {
    const stored = await this.db.get('txs', id);
    return stored && fromStoredTx(stored);
  }

  /** LedgerStore.getTxs: every id in one readonly transaction. */
  async getTxs(ids: readonly string[]): Promise<(TxRecord | undefined)[]> {
    const txs = this.db.transaction('txs').store;
    const rows = await Promise.all(ids.map((id) => txs.get(id)));
    return rows.map((stored) => stored && fromStoredTx(stored));
  }

  async orphansOf(parentId: string): Promise<TxRecord[]> {
    if (!this.waiting.has(parentId)) return [];
    return this.sorted(this.db.getAllFromIndex('txs', 'waitingOn', parentId));
  }

  childrenOf(parentId: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'prev', parentId));
  }

  dueFutures(now: number): Promise<TxRecord[]> {
    if (this.meta.counts.future === 0) return Promise.resolve([]);
    return this.sorted(this.db.getAllFromIndex('txs', 'dueAt', IDBKeyRange.upperBound(now)));
  }

  /** Records sent to `address`, in arrival order (the wallet's view). */
  sentTo(address: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'to', address));
  }

  /** Records signed by `publicKey`, in arrival order. */
  sentBy(publicKey: string): Promise<TxRecord[]> {
    return this.sorted(this.db.getAllFromIndex('txs', 'key', publicKey));
  }

  /** Ids of accepted records, oldest (first arrived) first. */
  async acceptedIds(): Promise<string[]> {
    this.acceptedLoad ??= this.loadAccepted();
    await this.acceptedLoad;
    const accepted = this.accepted!;
    if (!accepted.sorted) {
      const order = accepted.ids
        .map((_, i) => i)
        .sort((a, b) => accepted.arrivals[a]! - accepted.arrivals[b]!);
      accepted.ids = order.map((i) => accepted.ids[i]!);
      accepted.arrivals = order.map((i) => accepted.arrivals[i]!);
      accepted.sorted = true;
    }
    return [...accepted.ids];
  }

  private async loadAccepted(): Promise<void> {
    // Commits whose transaction began before this one are in what it reads; later ones append to
    // `this.accepted` themselves, as it is set before any later transaction completes.
    const rows = await this.db.getAll('accepted');
    this.accepted = {
      ids: rows.flatMap((row) => row.ids),
      arrivals: rows.flatMap((row) => row.arrivals),
      sorted: false,
    };
  }

  /** How many records have each status. */
  async statusCounts(): Promise<Record<string, number>> {
    return { ...this.meta.counts };
  }

  async count(): Promise<number> {
    return STATUSES.reduce((sum, status) => sum + this.meta.counts[status], 0);
  }

  async getBalance(address: string): Promise<bigint> {
    return this.balances.get(address) ?? 0n;
  }

  async allBalances(): Promise<Map<string, bigint>> {
    return new Map([...this.balances].filter(([, balance]) => balance !== 0n));
  }

  async getMeta(): Promise<LedgerMeta> {
    return { nextArrival: this.meta.nextArrival };
  }

  async commit(changes: LedgerChanges): Promise<void> {
    const previous = changes.previousStatus ?? (await this.previousStatusOf(changes.records));
    const tx = this.db.transaction(['txs', 'balances', 'meta', 'accepted'], 'readwrite');
    const txs = tx.objectStore('txs');
    const balances = tx.objectStore('balances');
    const { delta, newlyAccepted } = statusChangesOf(changes.records, previous);
    const counts = { ...this.meta.counts };
    for (const status of STATUSES) counts[status] += delta[status] ?? 0;
    const meta = { nextArrival: changes.meta.nextArrival, counts, commits: this.meta.commits + 1 };
    const metaStore = tx.objectStore('meta');
    // The in-memory state (balances, counts, next arrival) is this connection's: if another wrote in
    // between, writing on top of it would corrupt the ledger, so the batch is refused whole.
    const current = metaStore.get('ledger').then((stored) => {
      if ((stored?.commits ?? 0) === this.meta.commits) return;
      tx.abort();
      throw new LedgerChangedElsewhereError('another tab wrote this ledger; reload to continue');
    });
    // Requests run in order inside the one transaction; if any fails, the transaction aborts and
    // every write of the batch is rolled back, so Promise.all rejects with nothing half-written.
    await Promise.all([
      ...changes.records.map((record) => txs.put(toStoredTx(record))),
      ...[...changes.balances].map(([address, balance]) => balances.put({ address, balance })),
      current,
      metaStore.put(meta, 'ledger'),
      ...(newlyAccepted.length === 0
        ? []
        : [
            tx.objectStore('accepted').add({
              ids: newlyAccepted.map((r) => r.id),
              arrivals: newlyAccepted.map((r) => r.arrival),
            }),
          ]),
      tx.done,
    ]);
    // Only now that the batch is on disk does the memory follow.
    this.meta = meta;
    for (const [address, balance] of changes.balances) this.balances.set(address, balance);
    for (const record of changes.records) {
      if (record.status === 'orphan') addToIndex(this.waiting, record.waitingOn!, record.id);
      else if (record.prev !== null) removeFromIndex(this.waiting, record.prev, record.id);
    }
    if (this.accepted && newlyAccepted.length > 0) {
      this.accepted.ids.push(...newlyAccepted.map((r) => r.id));
      this.accepted.arrivals.push(...newlyAccepted.map((r) => r.arrival));
      this.accepted.sorted = false;
    }
  }

  /** For a commit that did not say what its records were before: read their stored versions. */
  private async previousStatusOf(records: readonly TxRecord[]): Promise<Map<string, TxStatus>> {
    const before = await this.getTxs(records.map((r) => r.id));
    return new Map(before.flatMap((record) => (record ? [[record.id, record.status] as const] : [])));
  }

  private async sorted(rows: Promise<StoredTx[]>): Promise<TxRecord[]> {
    return (await rows).map(fromStoredTx).sort((a, b) => a.arrival - b.arrival);
  }
}

// The IndexedDB ledger store exactly as schema version 2 wrote it (src/storage/idbLedgerStore.ts and
// src/storage/storedTx.ts at version 2, frozen, the v1 upgrade left out): the idbLedger test writes a
// ledger with it and opens that with the current code. A fixture: never change it to follow src/.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import {
  statusChangesOf,
  type LedgerChanges,
  type LedgerMeta,
  type LedgerStore,
  type TxRecord,
} from '../../../src/core/txRecord.ts';
import type { TxStatus } from '../../../src/core/verdict.ts';
import { addToIndex, removeFromIndex } from '../../../src/storage/idSetIndex.ts';
import { bytesToHex, hexToBytes } from '../../../src/core/hex.ts';
import type { Tx } from '../../../src/core/tx.ts';
import type { Inventory } from '../../../src/net/gossipLedger.ts';

const LEDGER_SCHEMA_VERSION = 2;

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
class LedgerChangedElsewhereError extends Error {
  override readonly name = 'LedgerChangedElsewhereError';
}

function ledgerDbName(genesisId: string): string {
  return `torrenttx-ledger-${genesisId}`;
}

function zeroCounts(): StatusCounts {
  return { accepted: 0, conflict: 0, invalid: 0, orphan: 0, future: 0 };
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

/** The verdict's figures, copied as they are when present. */
const FIGURES = [
  'reason',
  'detail',
  'waitingOn',
  'dueAt',
  'conflictWith',
  'work',
  'base',
  'mint',
  'fee',
  'value',
  'cost',
  'recentWork',
] as const;

/** A record as stored. Optional fields are absent, never undefined (an index skips absent ones). */
type StoredTx = Pick<TxRecord, 'arrival' | 'bytes' | 'status' | (typeof FIGURES)[number]> & {
  /** The id as 20 bytes: keys are stored once per index entry, and a hex string key takes 80. */
  readonly id: Uint8Array<ArrayBuffer>;
  readonly sha256: Uint8Array;
  /** 1 when the record has a parsed transaction (checks 1–5 passed); then `bytes` holds it. */
  readonly parsed?: 1;
  /**
   * What the record links to, for one multi-entry index instead of three: `linkOf('prev', tx.prev)`,
   * `linkOf('to', tx.to)` and `linkOf('key', tx.key)`. Absent when the record did not parse.
   */
  readonly links?: Uint8Array<ArrayBuffer>[];
};

/** The key of a record's row. */
function rowKeyOf(id: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hexToBytes(id));
}

const LINK_TAG = { prev: 1, to: 2, key: 3 } as const;
const encoder = new TextEncoder();

/**
 * The `links` index key under which a record is found by its parent, recipient or signing key: a tag
 * byte, then the id or key as bytes (the address as its ASCII text).
 */
function linkOf(kind: keyof typeof LINK_TAG, value: string): Uint8Array<ArrayBuffer> {
  const body = kind === 'to' ? encoder.encode(value) : hexToBytes(value);
  const link = new Uint8Array(1 + body.length);
  link[0] = LINK_TAG[kind];
  link.set(body, 1);
  return link;
}

type Figures = Partial<Record<(typeof FIGURES)[number], unknown>>;

function copyFigures(from: Figures, to: Figures): void {
  for (const name of FIGURES) if (from[name] !== undefined) to[name] = from[name];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function toStoredTx(record: TxRecord): StoredTx {
  const stored: Record<string, unknown> = {
    id: rowKeyOf(record.id),
    arrival: record.arrival,
    // A copy: a view into a larger buffer (a network frame) would be stored whole by structured clone.
    bytes: record.bytes === null ? null : record.bytes.slice(),
    sha256: hexToBytes(record.sha256),
    status: record.status,
  };
  if (record.tx !== null) {
    const { prev, to, key } = record.tx;
    stored.parsed = 1;
    stored.links = [...(prev === null ? [] : [linkOf('prev', prev)]), linkOf('to', to), linkOf('key', key)];
  }
  copyFigures(record, stored);
  return stored as unknown as StoredTx;
}

function fromStoredTx(stored: StoredTx): TxRecord {
  // The bytes passed checks 1–4 when they were received, so parsing them again gives the same value.
  const tx = stored.parsed === 1 ? (JSON.parse(decoder.decode(stored.bytes!)) as Tx) : null;
  const record: Record<string, unknown> = {
    id: bytesToHex(stored.id),
    arrival: stored.arrival,
    bytes: stored.bytes,
    sha256: bytesToHex(stored.sha256),
    tx,
    prev: tx?.prev ?? null,
    to: tx?.to ?? null,
    status: stored.status,
  };
  copyFigures(stored, record);
  return record as unknown as TxRecord;
}

export class IdbLedgerStoreV2 implements LedgerStore {
  private constructor(
    private readonly db: IDBPDatabase<LedgerDb>,
    private meta: StoredMeta & { readonly counts: StatusCounts; readonly commits: number },
    private readonly hot: HotState,
    /** Every id the ledger has a record of. */
    private readonly known: Set<string>,
    /** Parent id → ids of the orphans waiting for it. Bounded by the held records the ledger keeps. */
    private readonly waiting: Map<string, Set<string>>,
  ) {}

  static async open(genesisId: string): Promise<IdbLedgerStoreV2> {
    const db = await openDB<LedgerDb>(ledgerDbName(genesisId), LEDGER_SCHEMA_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion === 0) {
          createTxStore(db, 'txs');
          db.createObjectStore('log', { autoIncrement: true });
          db.createObjectStore('meta');
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
    const store = new IdbLedgerStoreV2(
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

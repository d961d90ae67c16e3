// What the ledger keeps about every transaction it has seen, good or not, and the storage interface it
// reads and writes through. IndexedDB (src/storage/idbLedgerStore.ts) and memory
// (src/storage/memoryLedgerStore.ts) both implement LedgerStore.
import type { Tx } from './tx.ts';
import type { InvalidReason, TxStatus } from './verdict.ts';

export interface TxRecord {
  readonly id: string;
  /** Position in this node's first-seen order (PROTOCOL §5), from 0. */
  readonly arrival: number;
  /** The exact bytes received; null when they were too large to keep. */
  readonly bytes: Uint8Array | null;
  /** SHA-256 of the bytes first seen under this id (PROTOCOL "Known weakness"), lowercase hex. */
  readonly sha256: string;
  /** The parsed transaction, or null when checks 1–4 failed. */
  readonly tx: Tx | null;
  /** Copies of tx.prev and tx.to, top level so that stores can index them. */
  readonly prev: string | null;
  readonly to: string | null;
  readonly status: TxStatus;
  readonly reason?: InvalidReason;
  /** For `invalid`: what exactly was wrong, for people. */
  readonly detail?: string;
  /** For `orphan`: the parent it waits for (indexed; absent on every other status). */
  readonly waitingOn?: string;
  /** For `future`: the node time from which it may be decided, tx.time − 10 min (indexed). */
  readonly dueAt?: number;
  /** For `conflict`: the accepted siblings that had already spent what it wanted (the evidence). */
  readonly conflictWith?: readonly string[];
  /** Proof-of-work figures, set once the branch base is known (accepted, conflict, overspend). */
  readonly work?: number;
  readonly base?: number;
  readonly mint?: bigint;
  readonly fee?: bigint;
  /** For `accepted`: value = tokens + mint, cost = tokens + fee, spent = Σ cost of accepted children. */
  readonly value?: bigint;
  readonly cost?: bigint;
  readonly spent?: bigint;
  /** For `accepted`: own work, then the parent's, …, the §6 window (recentWorkAfter): a child's base is their mean. */
  readonly recentWork?: readonly number[];
}

export interface LedgerMeta {
  readonly nextArrival: number;
}

/** Everything one batch changed, written atomically: all of it or none. */
export interface LedgerChanges {
  readonly records: readonly TxRecord[];
  /** New absolute balances of the addresses the batch touched. */
  readonly balances: ReadonlyMap<string, bigint>;
  readonly meta: LedgerMeta;
  /** Held records to delete (dropped by local policy), as they were stored. */
  readonly removed?: readonly TxRecord[];
  /**
   * The status each changed record had in the store before this batch; a record not in the map is new.
   * Exact, because the batch reads every stored record before it writes it (LedgerBatch). A store may
   * use it to keep per-status counts and a log of accepted ids instead of indexing every record
   * (statusChangesOf); a store that ignores it loses nothing.
   */
  readonly previousStatus?: ReadonlyMap<string, TxStatus>;
}

export interface LedgerReader {
  getTx(id: string): Promise<TxRecord | undefined>;
  /**
   * Optional bulk read: the same answers as `ids.map(getTx)`, in the same order (undefined for an
   * unknown id; a repeated id answered each time), read together (IndexedDB: one transaction), so a
   * batch of N transactions costs one round trip instead of N. LedgerBatch falls back to getTx
   * where a store lacks it.
   */
  getTxs?(ids: readonly string[]): Promise<(TxRecord | undefined)[]>;
  /**
   * A hint: these records will be read soon. A store whose reads wait behind its writes can start
   * reading them now, before the batch that reads them writes anything (IdbLedgerStore). Changes nothing.
   */
  warm?(ids: readonly string[]): void;
  /** Records held as `orphan` waiting for `parentId`. */
  orphansOf(parentId: string): Promise<TxRecord[]>;
  /** Records whose prev is `parentId`, whatever their status. */
  childrenOf(parentId: string): Promise<TxRecord[]>;
  /** Records held as `future` whose dueAt ≤ `now`. */
  dueFutures(now: number): Promise<TxRecord[]>;
  getBalance(address: string): Promise<bigint>;
  getMeta(): Promise<LedgerMeta>;
}

export interface LedgerStore extends LedgerReader {
  /**
   * Writes a batch atomically; resolves once it is durable. When `changes.previousStatus` is given, every
   * read made after commit() returns (before its promise settles) answers with the batch applied. If the
   * write then fails, no later commit may be written on top of it (reads answer as stored again). The
   * ledger decides its next batch as soon as commit() returns, while this one is written (Ledger.receive).
   */
  commit(changes: LedgerChanges): Promise<void>;
}

/** How a batch changes the per-status counts, and which of its records became accepted. */
export function statusChangesOf(
  records: readonly TxRecord[],
  previousStatus: ReadonlyMap<string, TxStatus>,
): { delta: Partial<Record<TxStatus, number>>; newlyAccepted: TxRecord[] } {
  const delta: Partial<Record<TxStatus, number>> = {};
  const newlyAccepted: TxRecord[] = [];
  for (const record of records) {
    const before = previousStatus.get(record.id);
    if (before === record.status) continue;
    if (before !== undefined) delta[before] = (delta[before] ?? 0) - 1;
    delta[record.status] = (delta[record.status] ?? 0) + 1;
    if (record.status === 'accepted') newlyAccepted.push(record);
  }
  return { delta, newlyAccepted };
}

/** What is left of an accepted transaction for its recipient to spend (PROTOCOL §5). */
export function remainingOf(record: TxRecord): bigint {
  return record.status === 'accepted' ? (record.value ?? 0n) - (record.spent ?? 0n) : 0n;
}

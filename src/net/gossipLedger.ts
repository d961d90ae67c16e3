// What the gossip layer needs from the ledger worker. The network worker holds a comlink proxy of it
// over a MessagePort straight to the ledger worker, so transaction bytes never cross the main thread.
import type { FoundConflict } from './evidence/conflictFrame.ts';

/** The ledger's word on one received transaction, reduced to what gossip acts on. */
export interface GossipVerdict {
  readonly id: string;
  /** `dropped`: declined by the ledger's hold policy and not stored (src/core/ledger.ts); no status. */
  readonly kind: 'new' | 'duplicate' | 'bytes-mismatch' | 'dropped';
  readonly status?: 'accepted' | 'conflict' | 'invalid' | 'orphan' | 'future';
  readonly reason?: string;
  /** For an orphan: the parent to ask the sender for. */
  readonly waitingOn?: string;
}

/** An accepted transaction as the network handles it: relayed, reconciled (by time and id), seeded. */
export interface AcceptedTx {
  readonly id: string;
  readonly bytes: Uint8Array;
  /** tx.time: the set reconciliation orders transactions by (time, id). */
  readonly time: number;
  /** Whether this node seeds it as a torrent: its wallet sent or received it. */
  readonly seed?: boolean;
}

export interface GossipReceipt {
  readonly verdicts: GossipVerdict[];
  /** Transactions that became accepted by this call (new ones and held ones that were decided), to relay. */
  readonly accepted: AcceptedTx[];
  /** Ids decided by this call that are no longer held (accepted or not): held ones that got a verdict. */
  readonly settled: string[];
  /** Double spends this call found (records it decided `conflict`), with their evidence to pass on. */
  readonly conflicts?: FoundConflict[];
}

/** The accepted set, for set reconciliation: parallel lists, in no particular order. */
export interface Inventory {
  readonly ids: string[];
  readonly times: number[];
}

export interface GossipLedger {
  /**
   * `ids`: txIdOf of each item, which gossip has checked (a received frame's bytes must hash to the id
   * its sender named), so that the ledger need not hash them again.
   */
  receive(items: Uint8Array[], ids?: string[]): Promise<GossipReceipt>;
  /** Which of these ids the ledger knows, whatever their status. */
  known(ids: string[]): Promise<boolean[]>;
  /** Bytes of these ids where the ledger holds them as accepted or held (never invalid ones). */
  bytesOf(ids: string[]): Promise<(Uint8Array | null)[]>;
  /** Every accepted transaction's id and time: what set reconciliation works on. */
  inventory(): Promise<Inventory>;
  /** Drops these ids where the ledger holds them as orphan or future (what a dropped peer made it hold). */
  dropHeld(ids: string[]): Promise<string[]>;
}

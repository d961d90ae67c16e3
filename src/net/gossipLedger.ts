// What the gossip layer needs from the ledger worker. The network worker holds a comlink proxy of it
// over a MessagePort straight to the ledger worker, so transaction bytes never cross the main thread.

/** The ledger's word on one received transaction, reduced to what gossip acts on. */
export interface GossipVerdict {
  readonly id: string;
  readonly kind: 'new' | 'duplicate' | 'bytes-mismatch';
  readonly status: 'accepted' | 'conflict' | 'invalid' | 'orphan' | 'future';
  readonly reason?: string;
  /** For an orphan: the parent to ask the sender for. */
  readonly waitingOn?: string;
}

export interface GossipReceipt {
  readonly verdicts: GossipVerdict[];
  /**
   * Transactions that became accepted by this call (new ones and held ones that were decided), to relay.
   * `seed` marks the ones this node should also seed as torrents: those its wallet sent or received.
   */
  readonly accepted: { id: string; bytes: Uint8Array; seed?: boolean }[];
}

export interface GossipLedger {
  receive(items: Uint8Array[]): Promise<GossipReceipt>;
  /** Which of these ids the ledger knows, whatever their status. */
  known(ids: string[]): Promise<boolean[]>;
  /** Bytes of these ids where the ledger holds them as accepted or held (never invalid ones). */
  bytesOf(ids: string[]): Promise<(Uint8Array | null)[]>;
  /** Ids of accepted transactions, oldest first: the inventory offered to a new peer. */
  inventory(): Promise<string[]>;
}

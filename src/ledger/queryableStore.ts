// A LedgerStore that can also answer the node's own questions (inventory, history). Both the IndexedDB
// store and the in-memory twin implement it.
import type { LedgerStore, TxRecord } from '../core/txRecord.ts';
import type { Inventory } from '../net/gossipLedger.ts';

export type StatusAndBytes = Pick<TxRecord, 'status' | 'bytes'>;

export interface QueryableLedgerStore extends LedgerStore {
  /** Id and tx time of every accepted record: the set that gossip reconciles (src/net/sync/). */
  acceptedInventory(): Promise<Inventory>;
  /** Records sent to an address, and records signed by a key, oldest first: a wallet's history. */
  sentTo(address: string): Promise<TxRecord[]>;
  sentBy(publicKey: string): Promise<TxRecord[]>;
  /** How many records have each status. */
  statusCounts(): Promise<Record<string, number>>;
  /**
   * Optional: the status and bytes of each id (undefined where unknown), without decoding whole
   * records: what serving a peer's WANT and HAVE needs (gossipLedgerOf), read many at a time.
   */
  statusAndBytes?(ids: readonly string[]): Promise<(StatusAndBytes | undefined)[]>;
  /** Every address with a non-zero balance. */
  allBalances(): Map<string, bigint> | Promise<Map<string, bigint>>;
}

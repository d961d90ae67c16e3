// What the UI is shown of the node: plain data (structured-clone friendly), no protocol logic left to do.
import type { TxStatus } from '../core/verdict.ts';

export interface HistoryEntry {
  readonly id: string;
  readonly direction: 'in' | 'out' | 'self';
  readonly tokens: number;
  /** The other party's address (recipient of an outgoing payment; the sender's for incoming). */
  readonly counterparty: string;
  readonly memo: string | null;
  readonly time: number;
  readonly status: TxStatus;
  readonly reason: string | null;
  readonly mint: string | null;
  readonly fee: string | null;
  readonly arrival: number;
  /** When this node first saw it, first saw a double spend of it or of an ancestor (or null), and found
   *  it settled (or null, stored across reloads): the inputs of its safety (src/core/paymentState.ts),
   *  which the page computes as time passes. */
  readonly firstSeenAt: number;
  readonly conflictSeenAt: number | null;
  readonly settledAt: number | null;
}

export interface WalletSnapshot {
  readonly address: string;
  /** Decimal strings: amounts are bigints in the ledger and may pass 2^53. */
  readonly spendable: string;
  readonly held: string;
  readonly inConflict: string;
  /** The newest entries (at most HISTORY_LIMIT), and how many there are in all. */
  readonly history: HistoryEntry[];
  readonly historyTotal: number;
  readonly ledger: {
    readonly known: number;
    readonly accepted: number;
    readonly held: number;
    readonly rejected: number;
  };
}

// The one status word of each of the wallet's payments, in and out, and a sentence saying what it means:
// Home (held tokens, recent activity), Activity and a payment's details all call paymentStatus, so a
// payment reads the same everywhere. It folds the ledger's verdict (PROTOCOL §5) and how safe the
// payment is (src/core/paymentState.ts) into one of:
//   Arriving → Safe   accepted: watched for a double spend during its settle window, then settled;
//   Held              orphan or future: waiting for its parent or its time, its tokens not spendable yet;
//   Disputed          accepted, but the sender double-spent it or an ancestor: others may not count it;
//   Lost              it lost a double spend (conflict), or spends from one that did (parent-rejected);
//   Refused           invalid for another reason: it never counted.
import { paymentState } from '../core/paymentState.ts';
import type { HistoryEntry } from '../ledger/walletSnapshot.ts';

export type PaymentStatusState = 'arriving' | 'safe' | 'held' | 'disputed' | 'lost' | 'refused';

/** The word of each state: one each, and no two the same. */
export const STATUS_WORD: Readonly<Record<PaymentStatusState, string>> = {
  arriving: 'Arriving',
  safe: 'Safe',
  held: 'Held',
  disputed: 'Disputed',
  lost: 'Lost',
  refused: 'Refused',
};

/** What the page knows besides the entry: holders per id, connected peers, and its clock. */
export interface SafetyContext {
  readonly heldBy: Readonly<Record<string, number>>;
  readonly peers: number;
  readonly now: number;
}

export interface PaymentStatus {
  readonly state: PaymentStatusState;
  readonly word: string;
  /** What the word means for this payment, for its details. */
  readonly text: string;
}

export const DISPUTED_TEXT = 'The sender double-spent; others may not count this payment.';

function status(state: PaymentStatusState, text: string): PaymentStatus {
  return { state, word: STATUS_WORD[state], text };
}

export function paymentStatus(entry: HistoryEntry, context: SafetyContext): PaymentStatus {
  switch (entry.status) {
    case 'orphan':
      return status(
        'held',
        'Waiting for the payment its tokens come from to arrive; they are not spendable until then, and become so by themselves.',
      );
    case 'future':
      return status(
        'held',
        "Made on a clock ahead of this device's: held until its time comes; its tokens are not spendable until then.",
      );
    case 'conflict':
      return status(
        'lost',
        'The sender spent the same tokens twice and the other payment was seen first: this one does not count.',
      );
    case 'invalid':
      return entry.reason === 'parent-rejected'
        ? status('lost', 'It spends from a payment that does not count: this one does not count either.')
        : status('refused', `This node refused it (${entry.reason ?? 'unknown reason'}): it does not count.`);
    case 'accepted':
      break;
  }
  const safety = paymentState({
    firstSeenAt: entry.firstSeenAt,
    conflictSeenAt: entry.conflictSeenAt,
    settledAt: entry.settledAt,
    holders: context.heldBy[entry.id] ?? 0,
    peers: context.peers,
    now: context.now,
  });
  switch (safety.state) {
    case 'disputed':
      return status('disputed', DISPUTED_TEXT);
    case 'settled':
      return status('safe', 'No double spend was seen while it spread, and peers hold it.');
    case 'pending': {
      const seconds = Math.ceil(safety.remainingMs / 1000);
      const needed = safety.holdersNeeded;
      const waiting =
        seconds > 0
          ? `safe in ${seconds} s`
          : `waiting for ${needed} more ${needed === 1 ? 'peer' : 'peers'} to hold it`;
      return status('arriving', `Seen, and watched for a double spend: ${waiting}.`);
    }
  }
}

/**
 * The entries that are Safe now but not yet stored as settled: the page hands them to the ledger worker
 * (noteSettled), so they show Safe at once after a reload or an offline start.
 */
export function newlySettled(entries: readonly HistoryEntry[], context: SafetyContext): string[] {
  return entries
    .filter((entry) => entry.settledAt === null && paymentStatus(entry, context).state === 'safe')
    .map((entry) => entry.id);
}

/** From the most to the least worrying: a payment of several parts reads as its most worrying one. */
const CONCERN: readonly PaymentStatusState[] = ['refused', 'lost', 'disputed', 'held', 'arriving', 'safe'];

/**
 * The status of a payment sent as the transactions `ids` (the send confirmation): its most worrying
 * part's, or null until every part is in the history the page shows.
 */
export function paymentStatusOf(
  ids: readonly string[],
  entries: readonly HistoryEntry[],
  context: SafetyContext,
): PaymentStatus | null {
  const statuses: PaymentStatus[] = [];
  for (const id of ids) {
    const entry = entries.find((e) => e.id === id);
    if (entry === undefined) return null;
    statuses.push(paymentStatus(entry, context));
  }
  if (statuses.length === 0) return null;
  return statuses.reduce((worst, s) => (CONCERN.indexOf(s.state) < CONCERN.indexOf(worst.state) ? s : worst));
}

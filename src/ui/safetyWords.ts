// How safe a payment is, in words (src/core/paymentState.ts): a short label for the history and a sentence
// for the detail. Held and invalid transactions have no such state (their status says it all).
import { paymentState, type PaymentState } from '../core/paymentState.ts';
import type { HistoryEntry } from '../ledger/walletSnapshot.ts';

/** What the page knows besides the entry: holders per id, connected peers, and its clock. */
export interface SafetyContext {
  readonly heldBy: Readonly<Record<string, number>>;
  readonly peers: number;
  readonly now: number;
}

export interface SafetyWords {
  readonly state: PaymentState['state'];
  readonly label: string;
  readonly text: string;
}

export const DISPUTED_TEXT = 'The sender double-spent; others may not count this payment.';

export function safetyOf(entry: HistoryEntry, context: SafetyContext): PaymentState | null {
  const judged =
    entry.status === 'accepted' ||
    entry.status === 'conflict' ||
    (entry.status === 'invalid' && entry.reason === 'parent-rejected');
  if (!judged) return null;
  return paymentState({
    firstSeenAt: entry.firstSeenAt,
    conflictSeenAt: entry.conflictSeenAt,
    holders: context.heldBy[entry.id] ?? 0,
    peers: context.peers,
    now: context.now,
  });
}

export function safetyWords(state: PaymentState): SafetyWords {
  switch (state.state) {
    case 'disputed':
      return { state: 'disputed', label: 'disputed', text: DISPUTED_TEXT };
    case 'settled':
      return {
        state: 'settled',
        label: 'settled',
        text: 'No double spend was seen while it spread, and peers hold it.',
      };
    case 'pending': {
      const seconds = Math.ceil(state.remainingMs / 1000);
      const waiting =
        seconds > 0
          ? `settles in ${seconds} s`
          : `waiting for ${state.holdersNeeded} more ${state.holdersNeeded === 1 ? 'peer' : 'peers'} to hold it`;
      return {
        state: 'pending',
        label: `pending · ${waiting}`,
        text: `Seen, and watched for a double spend: ${waiting}.`,
      };
    }
  }
}

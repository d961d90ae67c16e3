// Payment safety in words (src/ui/safetyWords.ts): the same for payments in and out, none for held or
// invalid ones, the countdown in whole seconds, and the disputed sentence.
import { describe, expect, it } from 'vitest';
import { SETTLE_WINDOW_MS } from '../../src/core/paymentState.ts';
import type { HistoryEntry } from '../../src/ledger/walletSnapshot.ts';
import { DISPUTED_TEXT, safetyOf, safetyWords } from '../../src/ui/safetyWords.ts';

const entry = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: 'a'.repeat(40),
  direction: 'in',
  tokens: 5,
  counterparty: 'ttx1x',
  memo: null,
  time: 0,
  status: 'accepted',
  reason: null,
  mint: null,
  fee: null,
  arrival: 1,
  firstSeenAt: 1000,
  conflictSeenAt: null,
  ...over,
});
const context = { heldBy: { ['a'.repeat(40)]: 3 }, peers: 3, now: 1000 + 2500 };

describe('safetyWords', () => {
  it('counts down the window in whole seconds, then settles', () => {
    expect(safetyWords(safetyOf(entry(), context)!).label).toBe('pending · settles in 8 s');
    const later = { ...context, now: 1000 + SETTLE_WINDOW_MS };
    expect(safetyWords(safetyOf(entry(), later)!).state).toBe('settled');
    const alone = { ...later, heldBy: {} };
    expect(safetyWords(safetyOf(entry(), alone)!).label).toBe(
      'pending · waiting for 3 more peers to hold it',
    );
  });

  it("says the same of the payer's own payment as of the recipient's", () => {
    for (const direction of ['in', 'out', 'self'] as const) {
      const words = safetyWords(safetyOf(entry({ direction, conflictSeenAt: 2000 }), context)!);
      expect(words).toEqual({ state: 'disputed', label: 'disputed', text: DISPUTED_TEXT });
    }
  });

  it('judges accepted, lost and parent-rejected payments; not held or otherwise invalid ones', () => {
    expect(safetyOf(entry({ status: 'conflict', conflictSeenAt: 1000 }), context)?.state).toBe('disputed');
    expect(
      safetyOf(entry({ status: 'invalid', reason: 'parent-rejected', conflictSeenAt: 1000 }), context)?.state,
    ).toBe('disputed');
    expect(safetyOf(entry({ status: 'orphan' }), context)).toBeNull();
    expect(safetyOf(entry({ status: 'invalid', reason: 'bad-signature' }), context)).toBeNull();
  });
});

// The one status word of a wallet payment (src/ui/paymentStatus.ts): every state has exactly one word and
// no two states share one; each verdict and safety lands on its state, the same for payments in and out;
// a payment found settled before (a reload, an offline start with no peers) is Safe at once; and the
// entries the page hands to the ledger worker to store as settled are exactly the new Safe ones.
import { describe, expect, it } from 'vitest';
import { SETTLE_HOLDERS, SETTLE_WINDOW_MS } from '../../src/core/paymentState.ts';
import type { HistoryEntry } from '../../src/ledger/walletSnapshot.ts';
import {
  DISPUTED_TEXT,
  newlySettled,
  paymentStatus,
  paymentStatusOf,
  STATUS_WORD,
  type PaymentStatusState,
} from '../../src/ui/paymentStatus.ts';

const ID = 'a'.repeat(40);
const entry = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: ID,
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
  settledAt: null,
  ...over,
});
const context = { heldBy: { [ID]: SETTLE_HOLDERS }, peers: 8, now: 1000 + 2500 };
const later = { ...context, now: 1000 + SETTLE_WINDOW_MS };

describe('paymentStatus', () => {
  it('has one word per state, no two the same', () => {
    const states: PaymentStatusState[] = ['arriving', 'safe', 'held', 'disputed', 'lost', 'refused'];
    expect(Object.keys(STATUS_WORD).sort()).toEqual([...states].sort());
    expect(new Set(Object.values(STATUS_WORD)).size).toBe(states.length);
    for (const word of Object.values(STATUS_WORD)) expect(word).toMatch(/^[A-Z][a-z]+$/);
  });

  it('maps every verdict and safety to its state and word, the same in and out', () => {
    const cases: [Partial<HistoryEntry>, typeof context, PaymentStatusState][] = [
      [{}, context, 'arriving'],
      [{}, later, 'safe'],
      [{ conflictSeenAt: 2000 }, context, 'disputed'],
      [{ conflictSeenAt: 2000 }, later, 'disputed'],
      [{ status: 'orphan' }, later, 'held'],
      [{ status: 'future' }, later, 'held'],
      [{ status: 'conflict', conflictSeenAt: 1000 }, later, 'lost'],
      [{ status: 'invalid', reason: 'parent-rejected', conflictSeenAt: 1000 }, later, 'lost'],
      [{ status: 'invalid', reason: 'bad-signature' }, later, 'refused'],
    ];
    for (const [over, at, state] of cases) {
      for (const direction of ['in', 'out', 'self'] as const) {
        const status = paymentStatus(entry({ ...over, direction }), at);
        expect({ over, direction, state: status.state }).toEqual({ over, direction, state });
        expect(status.word).toBe(STATUS_WORD[state]);
        expect(status.text.length).toBeGreaterThan(0);
      }
    }
  });

  it('explains Arriving with the countdown, then the holders awaited', () => {
    expect(paymentStatus(entry(), context).text).toBe('Seen, and watched for a double spend: safe in 8 s.');
    const alone = { heldBy: {}, peers: 8, now: 1000 + 2 * SETTLE_WINDOW_MS };
    expect(paymentStatus(entry(), alone).text).toBe(
      'Seen, and watched for a double spend: waiting for 3 more peers to hold it.',
    );
    expect(paymentStatus(entry({ conflictSeenAt: 2000 }), context).text).toBe(DISPUTED_TEXT);
    expect(paymentStatus(entry({ status: 'invalid', reason: 'bad-signature' }), later).text).toContain(
      'bad-signature',
    );
  });

  it('is Safe at once when found settled before: after a reload, offline, its window counted again', () => {
    const reloaded = { heldBy: {}, peers: 0, now: 90_000 };
    const again = entry({ firstSeenAt: 89_500 });
    expect(paymentStatus(again, reloaded).state).toBe('arriving');
    expect(paymentStatus({ ...again, settledAt: 11_000 }, reloaded).state).toBe('safe');
    // A double spend seen after it settled still shows.
    expect(paymentStatus({ ...again, settledAt: 11_000, conflictSeenAt: 89_900 }, reloaded).state).toBe(
      'disputed',
    );
  });

  it('hands the new Safe entries, and only those, to be stored as settled', () => {
    const b = 'b'.repeat(40);
    const c = 'c'.repeat(40);
    const heldBy = { [ID]: 3, [b]: 3, [c]: 3 };
    const entries = [entry(), entry({ id: b, settledAt: 5000 }), entry({ id: c, status: 'orphan' })];
    expect(newlySettled(entries, { ...later, heldBy })).toEqual([ID]);
    expect(newlySettled(entries, { ...context, heldBy })).toEqual([]);
  });

  it("gives a payment of several parts its most worrying part's status, none until all are shown", () => {
    const b = 'b'.repeat(40);
    const heldBy = { [ID]: 3, [b]: 3 };
    const entries = [entry(), entry({ id: b, settledAt: 5000 })];
    expect(paymentStatusOf([b], entries, { ...context, heldBy })?.word).toBe(STATUS_WORD.safe);
    expect(paymentStatusOf([ID, b], entries, { ...context, heldBy })?.word).toBe(STATUS_WORD.arriving);
    expect(paymentStatusOf([ID, b], entries, { ...later, heldBy })?.word).toBe(STATUS_WORD.safe);
    expect(paymentStatusOf([ID, 'c'.repeat(40)], entries, context)).toBeNull();
    expect(paymentStatusOf([], entries, context)).toBeNull();
  });
});

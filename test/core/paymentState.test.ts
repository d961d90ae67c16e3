// The payment safety states of src/core/paymentState.ts: pending with a countdown, settled once the window
// has passed with no double spend and enough peers hold it, disputed whenever a double spend in its
// ancestry is known.
import { describe, expect, it } from 'vitest';
import { paymentState, SETTLE_HOLDERS, SETTLE_WINDOW_MS } from '../../src/core/paymentState.ts';

const seen = 1_000_000;
const base = {
  firstSeenAt: seen,
  conflictSeenAt: null,
  settledAt: null,
  holders: SETTLE_HOLDERS,
  peers: 8,
  now: seen,
};

describe('paymentState', () => {
  it('is pending while the window runs, counting down to its end', () => {
    expect(paymentState(base)).toEqual({
      state: 'pending',
      settlesAt: seen + SETTLE_WINDOW_MS,
      remainingMs: SETTLE_WINDOW_MS,
      holdersNeeded: 0,
    });
    expect(paymentState({ ...base, now: seen + SETTLE_WINDOW_MS - 1 })).toMatchObject({
      state: 'pending',
      remainingMs: 1,
    });
  });

  it('is settled when the window has passed and k peers hold it', () => {
    expect(paymentState({ ...base, now: seen + SETTLE_WINDOW_MS })).toEqual({ state: 'settled' });
  });

  it('stays pending past the window while fewer than k peers hold it', () => {
    const state = paymentState({ ...base, holders: SETTLE_HOLDERS - 1, now: seen + 10 * SETTLE_WINDOW_MS });
    expect(state).toEqual({
      state: 'pending',
      settlesAt: seen + SETTLE_WINDOW_MS,
      remainingMs: 0,
      holdersNeeded: 1,
    });
  });

  it('asks for every connected peer when fewer than k are connected, and for one when none is', () => {
    const late = seen + SETTLE_WINDOW_MS;
    expect(paymentState({ ...base, holders: 1, peers: 1, now: late })).toEqual({ state: 'settled' });
    expect(paymentState({ ...base, holders: 1, peers: 2, now: late })).toMatchObject({ holdersNeeded: 1 });
    expect(paymentState({ ...base, holders: 0, peers: 0, now: late })).toMatchObject({ holdersNeeded: 1 });
  });

  it('is disputed once a double spend in its ancestry is known, during the window or after it', () => {
    expect(paymentState({ ...base, conflictSeenAt: seen + 5 })).toEqual({
      state: 'disputed',
      since: seen + 5,
    });
    const later = seen + 100 * SETTLE_WINDOW_MS;
    expect(paymentState({ ...base, conflictSeenAt: later, now: later })).toEqual({
      state: 'disputed',
      since: later,
    });
  });

  it('stays settled once found settled (stored when), at once after a reload, without peers', () => {
    // A reload starts the window again (firstSeenAt is the opening) and an offline start has no peers.
    const reloaded = { ...base, firstSeenAt: seen + 50_000, holders: 0, peers: 0, now: seen + 50_001 };
    expect(paymentState(reloaded)).toMatchObject({ state: 'pending' });
    expect(paymentState({ ...reloaded, settledAt: seen + SETTLE_WINDOW_MS })).toEqual({ state: 'settled' });
    // A double spend seen after it settled still makes it disputed: others may not count it.
    expect(
      paymentState({ ...reloaded, settledAt: seen + SETTLE_WINDOW_MS, conflictSeenAt: seen + 60_000 }),
    ).toEqual({ state: 'disputed', since: seen + 60_000 });
  });
});

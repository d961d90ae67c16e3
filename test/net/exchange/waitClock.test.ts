// The wait clock (src/net/exchange/waitClock.ts): each rule of its specification, and a property over
// random tick schedules; the network path (newcomers that stall mid-join drop nobody) is
// test/node/crowdStall.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ADVANCE_MS, WaitClock } from '../../../src/net/exchange/waitClock.ts';
import { TICK_MS } from '../../../src/net/txGossip.ts';

describe('rule 1: ticks', () => {
  it('advances as the clock does while ticks come on time', () => {
    const clock = new WaitClock(1000);
    let now = 1000;
    for (let i = 0; i < 40; i++) expect(clock.tick((now += TICK_MS))).toBe(now);
    expect(clock.stalledMs).toBe(0);
  });

  it('counts at most MAX_ADVANCE_MS of a longer gap: the excess is this node’s stall', () => {
    const clock = new WaitClock(0);
    expect(clock.tick(TICK_MS)).toBe(TICK_MS);
    expect(clock.tick(TICK_MS + 15_000)).toBe(TICK_MS + MAX_ADVANCE_MS);
    expect(clock.stalledMs).toBe(15_000 - MAX_ADVANCE_MS);
    expect(clock.tick(TICK_MS + 15_000 + TICK_MS)).toBe(2 * TICK_MS + MAX_ADVANCE_MS);
  });

  it('does not go back when the clock does', () => {
    const clock = new WaitClock(5000);
    expect(clock.tick(4000)).toBe(5000);
    expect(clock.tick(4000 + TICK_MS)).toBe(5000 + TICK_MS);
  });
});

describe('rule 2: between ticks', () => {
  it('reads the last tick plus the time since, at most MAX_ADVANCE_MS', () => {
    const clock = new WaitClock(0);
    clock.tick(TICK_MS);
    expect(clock.now(TICK_MS + 100)).toBe(TICK_MS + 100);
    expect(clock.now(TICK_MS + 60_000)).toBe(TICK_MS + MAX_ADVANCE_MS);
  });

  it('the next tick goes on from where now() stood', () => {
    const clock = new WaitClock(0);
    const before = clock.now(30_000);
    expect(clock.tick(30_000)).toBe(before);
  });
});

describe('rule 3: what a peer is charged', () => {
  it('a request sent before a 15 s stall has waited about a second after it, not 15', () => {
    const clock = new WaitClock(0);
    let now = 0;
    for (let i = 0; i < 4; i++) clock.tick((now += TICK_MS));
    const sentAt = clock.now(now + 10);
    now += 15_000; // the thread stood still
    expect(clock.tick(now) - sentAt).toBeLessThanOrEqual(MAX_ADVANCE_MS);
  });

  it('never counts more than the clock did, nor less than it did while ticks came within MAX_ADVANCE_MS', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3 * MAX_ADVANCE_MS), { minLength: 1, maxLength: 200 }), (gaps) => {
        const clock = new WaitClock(0);
        let now = 0;
        let onTime = 0;
        let previous = 0;
        for (const gap of gaps) {
          now += gap;
          const read = clock.tick(now);
          expect(read).toBeGreaterThanOrEqual(previous);
          previous = read;
          if (gap <= MAX_ADVANCE_MS) onTime += gap;
        }
        expect(previous).toBeLessThanOrEqual(now);
        expect(previous).toBeGreaterThanOrEqual(onTime);
        expect(previous + clock.stalledMs).toBe(now);
      }),
    );
  });
});

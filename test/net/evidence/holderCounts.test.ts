// Holder counts' specification (src/net/evidence/holderCounts.ts), each bound filled past it, with the
// clock handed in.
import { describe, expect, it } from 'vitest';
import { SETTLE_HOLDERS } from '../../../src/core/paymentState.ts';
import {
  CHECK_DELAY_MS,
  HolderCounts,
  MAX_CHECKED_PEERS,
  MAX_HOLDERS_NOTED,
  MAX_TRACKED_IDS,
  MAX_WATCHED,
  MIN_CHECK_GAP_MS,
} from '../../../src/net/evidence/holderCounts.ts';

/** The window in which a peer allows two reconciliation openings (RESYNC_MS). */
const WINDOW = 60_000;
const id = (n: number) => n.toString(16).padStart(40, '0');

/** Holder counts on a clock the test moves. */
function atTime(start = 1_000_000): { holders: HolderCounts; clock: { now: number } } {
  const clock = { now: start };
  return { holders: new HolderCounts(() => clock.now), clock };
}

/** Runs a whole reconciliation with `peer` against a node holding `has`, the peer lacking `lacks`. */
function reconcile(holders: HolderCounts, peer: string, has: Set<string>, lacks: string[] = []): void {
  holders.checkStarted(peer, (x) => has.has(x));
  holders.lacks(peer, lacks);
  holders.checkEnded(peer);
}

describe('HolderCounts', () => {
  it('1: counts distinct peers per id, at most MAX_HOLDERS_NOTED', () => {
    const holders = new HolderCounts();
    holders.saw(id(1), 'p1');
    holders.saw(id(1), 'p1');
    holders.saw(id(1), 'p2');
    expect(holders.count(id(1))).toBe(2);
    for (let n = 0; n < 3 * MAX_HOLDERS_NOTED; n++) holders.saw(id(1), `q${n}`);
    expect(holders.count(id(1))).toBe(MAX_HOLDERS_NOTED);
    expect(holders.count(id(2))).toBe(0);
  });

  it('2: filled past MAX_TRACKED_IDS, forgets the least recently noted id', () => {
    const holders = new HolderCounts();
    for (let n = 0; n < MAX_TRACKED_IDS; n++) holders.saw(id(n), 'p');
    holders.saw(id(0), 'p2'); // noted again: now the most recent
    for (let n = MAX_TRACKED_IDS; n < MAX_TRACKED_IDS + 5; n++) holders.saw(id(n), 'p');
    expect(holders.size).toBe(MAX_TRACKED_IDS);
    expect(holders.count(id(0))).toBe(2);
    expect(holders.count(id(1))).toBe(0);
    expect(holders.count(id(6))).toBe(1);
    expect(holders.counts([{ id: id(0) }, { id: id(1) }])).toEqual({ [id(0)]: 2 });
  });

  it('5: a reconciliation counts a peer for the watched ids this node had at its start that the peer did not lack', () => {
    const { holders } = atTime();
    const has = new Set([id(1), id(2), id(3)]);
    holders.count(id(1));
    holders.count(id(2));
    holders.count(id(4)); // watched, but this node does not have it: never compared
    reconcile(holders, 'honest', has);
    reconcile(holders, 'lacking', has, [id(2)]);
    reconcile(holders, 'empty', has, [...has]); // answers from an empty set: lacks everything
    expect(holders.count(id(1))).toBe(2); // honest, lacking
    expect(holders.count(id(2))).toBe(1); // honest
    expect(holders.count(id(3))).toBe(0); // not watched when the reconciliations ran
    expect(holders.count(id(4))).toBe(0);
  });

  it('5: an id added after the reconciliation began is not counted by it; an unfinished one counts nothing', () => {
    const { holders } = atTime();
    const has = new Set<string>();
    holders.count(id(1));
    holders.checkStarted('p', (x) => has.has(x));
    has.add(id(1)); // accepted mid-session: its range may have been compared already
    holders.checkEnded('p');
    expect(holders.count(id(1))).toBe(0);
    holders.checkStarted('q', (x) => has.has(x)); // never ends (the peer went)
    holders.checkStarted('q', (x) => has.has(x)); // a new one replaces it
    holders.lacks('q', [id(1)]);
    holders.checkEnded('q');
    holders.checkEnded('q'); // ended twice: nothing more
    expect(holders.count(id(1))).toBe(0);
  });

  it(`5: checks of more than MAX_CHECKED_PEERS (${MAX_CHECKED_PEERS}) peers at once forget the oldest, which count nothing`, () => {
    const { holders } = atTime();
    const has = new Set([id(1)]);
    holders.count(id(1));
    holders.checkStarted('first', (x) => has.has(x));
    for (let n = 0; n < MAX_CHECKED_PEERS; n++) holders.checkStarted(`p${n}`, (x) => has.has(x));
    holders.checkEnded('first');
    expect(holders.count(id(1))).toBe(0);
    holders.checkEnded('p0');
    expect(holders.count(id(1))).toBe(1);
  });

  it('6: a watched id makes a peer not compared on it since due an early check, once, after CHECK_DELAY_MS and MIN_CHECK_GAP_MS', () => {
    const { holders, clock } = atTime();
    const has = new Set([id(1)]);
    const seenAt = clock.now;
    reconcile(holders, 'p', has); // on connecting, before anyone asked about id(1)
    const lastEnd = clock.now;
    expect(holders.checkDue('p', lastEnd, WINDOW)).toBe(false); // nothing watched
    expect(holders.count(id(1), seenAt)).toBe(0); // now watched, due at seenAt + CHECK_DELAY_MS
    clock.now = seenAt + CHECK_DELAY_MS - 1;
    expect(holders.checkDue('p', lastEnd, WINDOW)).toBe(false); // too soon: it may not have the payment yet
    clock.now = lastEnd + MIN_CHECK_GAP_MS;
    expect(holders.checkDue('p', lastEnd, WINDOW)).toBe(true);
    expect(holders.checkDue('p', clock.now - 1, WINDOW)).toBe(false); // reconciled a moment ago
    expect(holders.checkDue('never-reconciled', -Infinity, WINDOW)).toBe(true);
    reconcile(holders, 'p', has, [id(1)]); // it still lacks it: not counted, and not due again
    clock.now += MIN_CHECK_GAP_MS;
    expect(holders.checkDue('p', clock.now - MIN_CHECK_GAP_MS, WINDOW)).toBe(false);
    reconcile(holders, 'q', has);
    expect(holders.count(id(1))).toBe(1);
    expect(holders.checkDue('q', -Infinity, WINDOW)).toBe(false); // noted
  });

  it('6: an early check never makes a third reconciliation opening within the window', () => {
    const { holders, clock } = atTime();
    const has = new Set([id(1), id(2)]);
    reconcile(holders, 'p', has); // on connecting
    clock.now += MIN_CHECK_GAP_MS;
    holders.count(id(1), clock.now - CHECK_DELAY_MS);
    expect(holders.checkDue('p', clock.now - MIN_CHECK_GAP_MS, WINDOW)).toBe(true);
    reconcile(holders, 'p', has, [id(1)]); // the early check: the second opening
    clock.now += MIN_CHECK_GAP_MS;
    holders.count(id(2), clock.now - CHECK_DELAY_MS); // another payment
    expect(holders.checkDue('p', clock.now - MIN_CHECK_GAP_MS, WINDOW)).toBe(false); // would be a third
    clock.now += WINDOW;
    expect(holders.checkDue('p', clock.now - MIN_CHECK_GAP_MS, WINDOW)).toBe(true);
  });

  it('6: an id asked about long after it was seen is due at once; one held by SETTLE_HOLDERS peers is not watched', () => {
    const { holders, clock } = atTime();
    expect(holders.count(id(1), clock.now - 3_600_000)).toBe(0);
    expect(holders.checkDue('p', -Infinity, WINDOW)).toBe(true);
    const fresh = new HolderCounts(() => clock.now);
    for (let n = 0; n < SETTLE_HOLDERS; n++) fresh.saw(id(2), `h${n}`);
    expect(fresh.count(id(2), 0)).toBe(SETTLE_HOLDERS);
    expect(fresh.checkDue('p', -Infinity, WINDOW)).toBe(false);
  });

  it(`6: watches at most MAX_WATCHED (${MAX_WATCHED}) ids, the least recently asked forgotten first`, () => {
    const { holders } = atTime();
    holders.counts(Array.from({ length: MAX_WATCHED + 1 }, (_, n) => ({ id: id(n) })));
    const has = new Set(Array.from({ length: MAX_WATCHED + 1 }, (_, n) => id(n)));
    reconcile(holders, 'p', has);
    expect(holders.count(id(0))).toBe(0); // forgotten before the reconciliation
    expect(holders.count(id(1))).toBe(1);
    expect(holders.count(id(MAX_WATCHED))).toBe(1);
  });
});

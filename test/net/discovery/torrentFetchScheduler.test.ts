// Each numbered rule of TorrentFetchScheduler's specification, on an injected clock: confirmed ids before
// hints and most seen first, the gossip's grace, the concurrency and hint bounds filled far past their
// limits, time-outs, backoff and giving up (a hint with no seeder at once).
import { describe, expect, it } from 'vitest';
import { DiscoveryRecord } from '../../../src/net/discovery/discoveryRecord.ts';
import {
  FETCH_TIMEOUT_MS,
  GOSSIP_GRACE_MS,
  MAX_CONCURRENT_FETCHES,
  MAX_FETCH_TRIES,
  MAX_HINT_FETCHES,
  MAX_HINT_TRIES,
  MAX_RETRY_MS,
  RETRY_BASE_MS,
  TorrentFetchScheduler,
  type FetchGate,
} from '../../../src/net/discovery/torrentFetchScheduler.ts';
import { hexIds } from '../../support/hexIds.ts';

const ids = hexIds;

const open: FetchGate = { offered: () => false, gossipBusy: false };

/** Notes `id` as the tracker listed it `count` times and a peer announced it long ago: confirmed. */
function confirm(record: DiscoveryRecord, id: string, count: number, at = 0): void {
  record.noteTracker(id, count, at);
  record.notePeer([id], -GOSSIP_GRACE_MS);
}

describe('TorrentFetchScheduler', () => {
  it('2. returns due ids confirmed first, most seen first (ties: first noted, then id), hints within their share', () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const [a, b, c, d, e, f, g] = ids(7);
    confirm(record, a!, 1);
    confirm(record, b!, 7);
    confirm(record, c!, 3, 5);
    confirm(record, d!, 3, 1); // same seen as c, noted earlier
    record.noteTracker(e!, 100, 0); // hints, however often listed, after every confirmed id
    record.noteTracker(f!, 1, 0);
    confirm(record, g!, 1);
    const now = 10 + GOSSIP_GRACE_MS;
    expect(s.next(now, open)).toEqual([b, d, c, a]);
    expect(s.next(now, open)).toEqual([]); // all MAX_CONCURRENT_FETCHES slots taken
    s.done(b!);
    record.held(b!);
    expect(s.next(now, open)).toEqual([g]);
    for (const id of [a, c, d, g]) {
      s.done(id!);
      record.held(id!);
    }
    expect(s.next(now, open)).toEqual([e]); // MAX_HINT_FETCHES (1) hint at a time, most listed first
  });

  it('1. waits GOSSIP_GRACE_MS after discovery and after a peer last offered it; never fetches what gossip offers', () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const [a, b, c] = ids(3);
    record.noteTracker(a!, 1, 1000);
    record.noteTracker(b!, 1, 0);
    record.notePeer([b!], 2000);
    record.noteTracker(c!, 5, 0);
    const gate: FetchGate = { offered: (id) => id === c, gossipBusy: false };
    expect(s.next(1000 + GOSSIP_GRACE_MS - 1, gate)).toEqual([]);
    expect(s.next(1000 + GOSSIP_GRACE_MS, gate)).toEqual([a]);
    expect(s.next(2000 + GOSSIP_GRACE_MS - 1, gate)).toEqual([]);
    expect(s.next(2000 + GOSSIP_GRACE_MS, gate)).toEqual([b]);
    expect(s.next(1e9, { offered: () => false, gossipBusy: true })).toEqual([]); // gossip busy: wait
    s.done(a!); // a hint's slot is free again
    expect(s.next(1e9, open)).toEqual([c]);
  });

  it('1. fetches only what a tracker listed or a fetched child waits on', () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const [a, b] = ids(2);
    record.notePeer([a!], 0);
    expect(s.next(GOSSIP_GRACE_MS, open)).toEqual([]);
    record.noteParent(b!, 0);
    expect(s.next(GOSSIP_GRACE_MS, open)).toEqual([b]);
  });

  it(`3, 5–6. never more than MAX_CONCURRENT_FETCHES (${MAX_CONCURRENT_FETCHES}) in flight; time-outs back off, then give up`, () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const many = ids(1000);
    many.forEach((id, i) => confirm(record, id, 1 + (i % 7)));
    let now = GOSSIP_GRACE_MS;
    let maxInFlight = 0;
    const tries = new Map<string, number>();
    const order: string[] = [];
    // Nothing is ever delivered: every fetch times out. Run the clock for a day in 1 s ticks.
    for (let t = 0; t < 86_400; t++, now += 1000) {
      s.expire(now);
      for (const id of s.next(now, open)) {
        if (!tries.has(id)) order.push(id);
        tries.set(id, (tries.get(id) ?? 0) + 1);
      }
      maxInFlight = Math.max(maxInFlight, s.fetching);
    }
    expect(maxInFlight).toBe(MAX_CONCURRENT_FETCHES);
    // Most seen first: every id seen 7 times was tried before any seen less.
    const seen = (i: number) => 1 + (i % 7);
    const mostSeen = many.filter((_, i) => seen(i) === 7);
    expect(new Set(order.slice(0, mostSeen.length))).toEqual(new Set(mostSeen));
    for (const n of tries.values()) expect(n).toBeLessThanOrEqual(MAX_FETCH_TRIES);
    const given = many.filter((id) => record.gaveUpOn(id));
    expect(given.length).toBeGreaterThan(0);
    expect(record.missing()).toBe(1000 - given.length);
    for (const id of given) expect(tries.get(id)).toBe(MAX_FETCH_TRIES);
  });

  it(`3, 5. a record of made-up ids: at most MAX_HINT_FETCHES (${MAX_HINT_FETCHES}) at once, each given up at its first fetch with no seeder, and confirmed ids go first`, () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const hints = ids(10_000);
    for (const id of hints) record.noteTracker(id, 1_000, 0);
    const real = ids(MAX_CONCURRENT_FETCHES * 3, 10_000);
    let now = GOSSIP_GRACE_MS;
    let maxHints = 0;
    let hintFetches = 0;
    const realFetched: string[] = [];
    for (let t = 0; t < 600; t++, now += 1000) {
      // Peers confirm a few real ids as time goes by; each fetch of them succeeds within the tick.
      if (t % 50 === 0) confirm(record, real[t / 50]!, 1, now - GOSSIP_GRACE_MS);
      const next = s.next(now, open);
      const hintsNow = next.filter((id) => id < real[0]!);
      hintFetches += hintsNow.length;
      for (const id of next) {
        if (hintsNow.includes(id)) continue;
        realFetched.push(id);
        s.done(id);
        record.held(id);
      }
      maxHints = Math.max(maxHints, s.fetching);
      for (const id of hintsNow) s.failed(id, now + 100, true); // the tracker said: no seeder
    }
    expect(maxHints).toBe(MAX_HINT_FETCHES);
    expect(realFetched).toEqual(real.slice(0, 12)); // each fetched at the first tick it was due
    expect(record.missing()).toBe(0);
    expect(hintFetches).toBe(600); // one hint a tick, every tick (the real ones went in other slots)
    expect(record.givenUpCount).toBe(hintFetches);
    expect(record.size).toBe(hints.length - hintFetches);
  });

  it(`5. a hint whose fetch found a peer but no bytes is tried MAX_HINT_TRIES (${MAX_HINT_TRIES}) times`, () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const [a] = ids(1);
    record.noteTracker(a!, 1, 0);
    let now = GOSSIP_GRACE_MS;
    for (let attempt = 1; attempt <= MAX_HINT_TRIES; attempt++) {
      expect(s.next(now, open)).toEqual([a]);
      now += FETCH_TIMEOUT_MS;
      expect(s.expire(now)).toEqual([a]);
      now += MAX_RETRY_MS;
    }
    expect(record.gaveUpOn(a!)).toBe(true);
    expect(s.next(now, open)).toEqual([]);
  });

  it('5. backs off RETRY_BASE_MS × 2^(tries − 1), at most MAX_RETRY_MS, and gives up after MAX_FETCH_TRIES', () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const [a] = ids(1);
    confirm(record, a!, 1);
    let now = GOSSIP_GRACE_MS;
    for (let attempt = 1; attempt <= MAX_FETCH_TRIES; attempt++) {
      expect(s.next(now, open)).toEqual([a]);
      expect(s.expire(now + FETCH_TIMEOUT_MS - 1)).toEqual([]);
      now += FETCH_TIMEOUT_MS;
      expect(s.expire(now)).toEqual([a]);
      if (attempt === MAX_FETCH_TRIES) {
        expect(record.gaveUpOn(a!)).toBe(true);
        break;
      }
      const entry = record.get(a!)!;
      expect(entry.tries).toBe(attempt);
      const wait = Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), MAX_RETRY_MS);
      expect(entry.retryAt).toBe(now + wait);
      expect(s.next(now + wait - 1, open)).toEqual([]);
      now += wait;
    }
    expect(s.next(1e12, open)).toEqual([]);
    expect(record.missing()).toBe(0);
    record.noteTracker(a!, 2, 1e12); // the tracker listing it again does not revive it
    expect(record.size).toBe(0);
  });

  it('4. done() frees the slot; a failed fetch frees it too', () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const all = ids(MAX_CONCURRENT_FETCHES + 2);
    for (const id of all) confirm(record, id, 1);
    const first = s.next(GOSSIP_GRACE_MS, open);
    expect(first).toHaveLength(MAX_CONCURRENT_FETCHES);
    s.done(first[0]!);
    record.held(first[0]!);
    s.failed(first[1]!, GOSSIP_GRACE_MS);
    expect(record.get(first[1]!)).toMatchObject({ tries: 1 });
    s.failed(first[2]!, GOSSIP_GRACE_MS, true); // the trackers know nobody: given up, confirmed or not
    expect(record.gaveUpOn(first[2]!)).toBe(true);
    // Three slots free; the two never tried are due, the one backing off is not.
    expect(s.next(GOSSIP_GRACE_MS, open)).toEqual(all.slice(MAX_CONCURRENT_FETCHES));
    expect(s.fetching).toBe(MAX_CONCURRENT_FETCHES - 1);
  });
});

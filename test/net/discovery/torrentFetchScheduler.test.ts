// Each numbered rule of TorrentFetchScheduler's specification, on an injected clock: most seen first, the
// gossip's grace, the concurrency bound filled far past its limit, time-outs, backoff and giving up.
import { describe, expect, it } from 'vitest';
import { DiscoveryRecord } from '../../../src/net/discovery/discoveryRecord.ts';
import {
  FETCH_TIMEOUT_MS,
  GOSSIP_GRACE_MS,
  MAX_CONCURRENT_FETCHES,
  MAX_FETCH_TRIES,
  MAX_RETRY_MS,
  RETRY_BASE_MS,
  TorrentFetchScheduler,
  type FetchGate,
} from '../../../src/net/discovery/torrentFetchScheduler.ts';
import { hexIds } from '../../support/hexIds.ts';

const ids = hexIds;

const open: FetchGate = { offered: () => false, gossipBusy: false };

describe('TorrentFetchScheduler', () => {
  it('2. returns due ids most seen first (ties: first noted, then id), at most the free slots', () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const [a, b, c, d, e, f] = ids(6);
    record.noteTracker(a!, 1, 0);
    record.noteTracker(b!, 7, 0);
    record.noteTracker(c!, 3, 5);
    record.noteTracker(d!, 3, 1); // same seen as c, noted earlier
    record.noteTracker(e!, 2, 0);
    record.notePeer([e!, e!], -GOSSIP_GRACE_MS); // 2 + 2 peer announcements = 4
    record.noteTracker(f!, 1, 0);
    const now = 10 + GOSSIP_GRACE_MS;
    expect(s.next(now, open)).toEqual([b, e, d, c]);
    expect(s.next(now, open)).toEqual([]); // all MAX_CONCURRENT_FETCHES slots taken
    s.done(b!);
    record.held(b!);
    expect(s.next(now, open)).toEqual([a]); // a before f: same seen and time, lower id
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
    many.forEach((id, i) => record.noteTracker(id, 1 + (i % 7), 0));
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
    const seen = (id: string) => record.get(id)!.trackerSeen;
    const mostSeen = many.filter((id) => seen(id) === 7).length;
    expect(order.slice(0, mostSeen).every((id) => seen(id) === 7)).toBe(true);
    for (const n of tries.values()) expect(n).toBeLessThanOrEqual(MAX_FETCH_TRIES);
    const given = [...record.values()].filter((entry) => entry.gaveUp);
    expect(given.length).toBeGreaterThan(0);
    expect(record.missing()).toBe(1000 - given.length);
    for (const entry of given) expect(tries.get(entry.id)).toBe(MAX_FETCH_TRIES);
  });

  it('5. backs off RETRY_BASE_MS × 2^(tries − 1), at most MAX_RETRY_MS, and gives up after MAX_FETCH_TRIES', () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const [a] = ids(1);
    record.noteTracker(a!, 1, 0);
    let now = GOSSIP_GRACE_MS;
    for (let attempt = 1; attempt <= MAX_FETCH_TRIES; attempt++) {
      expect(s.next(now, open)).toEqual([a]);
      expect(s.expire(now + FETCH_TIMEOUT_MS - 1)).toEqual([]);
      now += FETCH_TIMEOUT_MS;
      expect(s.expire(now)).toEqual([a]);
      const entry = record.get(a!)!;
      expect(entry.tries).toBe(attempt);
      if (attempt === MAX_FETCH_TRIES) {
        expect(entry.gaveUp).toBe(true);
        break;
      }
      const wait = Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), MAX_RETRY_MS);
      expect(entry.retryAt).toBe(now + wait);
      expect(s.next(now + wait - 1, open)).toEqual([]);
      now += wait;
    }
    expect(s.next(1e12, open)).toEqual([]);
    expect(record.missing()).toBe(0);
    expect(record.size).toBe(1); // kept, so that the tracker listing it again does not revive it
  });

  it('4. done() frees the slot; a failed fetch frees it too', () => {
    const record = new DiscoveryRecord();
    const s = new TorrentFetchScheduler(record);
    const all = ids(MAX_CONCURRENT_FETCHES + 2);
    for (const id of all) record.noteTracker(id, 1, 0);
    const first = s.next(GOSSIP_GRACE_MS, open);
    expect(first).toHaveLength(MAX_CONCURRENT_FETCHES);
    s.done(first[0]!);
    record.held(first[0]!);
    s.failed(first[1]!, GOSSIP_GRACE_MS);
    expect(s.next(GOSSIP_GRACE_MS, open)).toHaveLength(2);
    expect(s.fetching).toBe(MAX_CONCURRENT_FETCHES);
  });
});

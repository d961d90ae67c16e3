// Each numbered rule of DiscoveryRecord's specification, with the real bound (MAX_DISCOVERED) filled past
// its limit.
import { describe, expect, it } from 'vitest';
import {
  DiscoveryRecord,
  EVICT_BATCH,
  MAX_DISCOVERED,
  seenOf,
} from '../../../src/net/discovery/discoveryRecord.ts';
import { hexIds } from '../../support/hexIds.ts';

const ids = hexIds;

describe('DiscoveryRecord', () => {
  it('1. a tracker count only raises trackerSeen; peers add one each; a parent is marked', () => {
    const r = new DiscoveryRecord();
    const [a, b, c] = ids(3);
    r.noteTracker(a!, 5, 10);
    r.noteTracker(a!, 3, 20); // lower: no change
    r.notePeer([a!, b!], 30);
    r.notePeer([a!], 40);
    r.noteParent(c!, 50);
    expect(r.get(a!)).toMatchObject({ trackerSeen: 5, peerSeen: 2, firstAt: 10, offeredAt: 40 });
    expect(seenOf(r.get(a!)!)).toBe(7);
    expect(r.get(b!)).toMatchObject({ trackerSeen: 0, peerSeen: 1, firstAt: 30 });
    expect(r.get(c!)).toMatchObject({ parentOf: true, firstAt: 50 });
  });

  it('2. held() forgets an id, whoever noted it', () => {
    const r = new DiscoveryRecord();
    const [a, b] = ids(2);
    r.noteTracker(a!, 1, 0);
    r.notePeer([b!], 0);
    r.held(a!);
    r.held(b!);
    r.held(b!); // twice: no change
    expect(r.size).toBe(0);
    expect(r.missing()).toBe(0);
  });

  it('3–4. only ids a tracker listed (or a fetched child waits on) count as missing; given up ones do not', () => {
    const r = new DiscoveryRecord();
    const [a, b, c, d] = ids(4);
    r.noteTracker(a!, 2, 0);
    r.notePeer([b!], 0); // peers only: discovered, not missing
    r.noteParent(c!, 0);
    r.notePeer([a!, c!], 0); // no double count
    r.noteTracker(d!, 1, 0);
    expect(r.size).toBe(4);
    expect(r.missing()).toBe(3);
    r.giveUp(r.get(d!)!);
    expect(r.missing()).toBe(2);
    r.noteTracker(d!, 9, 0); // listed again: still given up
    expect(r.missing()).toBe(2);
    r.held(d!);
    r.held(a!);
    expect(r.missing()).toBe(1);
    r.noteTracker(b!, 1, 0); // a peer's id listed by the tracker becomes missing
    expect(r.missing()).toBe(2);
  });

  it(`5. holds at most MAX_DISCOVERED (${MAX_DISCOVERED}); past it forgets the least seen, oldest first`, () => {
    const r = new DiscoveryRecord();
    const all = ids(MAX_DISCOVERED + 1);
    // The first half seen twice, the second half once; the oldest entry of all is being fetched.
    all.slice(0, MAX_DISCOVERED).forEach((id, i) => r.noteTracker(id, i < MAX_DISCOVERED / 2 ? 2 : 1, i));
    const fetching = r.get(all[MAX_DISCOVERED / 2]!)!;
    fetching.fetching = true;
    expect(r.size).toBe(MAX_DISCOVERED);
    expect(r.missing()).toBe(MAX_DISCOVERED);
    r.noteTracker(all[MAX_DISCOVERED]!, 1, MAX_DISCOVERED);
    expect(r.size).toBe(MAX_DISCOVERED - EVICT_BATCH + 1);
    expect(r.missing()).toBe(r.size);
    expect(r.evictions()).toBe(EVICT_BATCH);
    // Evicted: the oldest EVICT_BATCH of the once-seen half, except the one being fetched.
    expect(r.get(fetching.id)).toBe(fetching);
    expect(r.get(all[MAX_DISCOVERED / 2 + 1]!)).toBeUndefined();
    expect(r.get(all[MAX_DISCOVERED / 2 + EVICT_BATCH]!)).toBeUndefined();
    expect(r.get(all[MAX_DISCOVERED / 2 + EVICT_BATCH + 1]!)).toBeDefined();
    // Every twice-seen entry stays, and so does the new one.
    expect(r.get(all[0]!)).toBeDefined();
    expect(r.get(all[MAX_DISCOVERED / 2 - 1]!)).toBeDefined();
    expect(r.get(all[MAX_DISCOVERED]!)).toBeDefined();
    // Filling on never goes past the bound.
    for (const id of ids(3 * EVICT_BATCH, 2 * MAX_DISCOVERED)) r.notePeer([id], MAX_DISCOVERED + 1);
    expect(r.size).toBeLessThanOrEqual(MAX_DISCOVERED);
  });
});

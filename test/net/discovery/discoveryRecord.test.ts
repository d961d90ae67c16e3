// Each numbered rule of DiscoveryRecord's specification, with the real bounds (MAX_DISCOVERED,
// MAX_GIVEN_UP) filled past their limits, and a flood of record-only ids (hints) that never counts missing.
import { describe, expect, it } from 'vitest';
import {
  DiscoveryRecord,
  EVICT_BATCH,
  isConfirmed,
  MAX_DISCOVERED,
  MAX_GIVEN_UP,
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

  it('3–4. only ids a peer confirmed (a tracker listed it, or a fetched child waits on it) count as missing', () => {
    const r = new DiscoveryRecord();
    const [a, b, c, d, e] = ids(5);
    r.noteTracker(a!, 2, 0); // the record alone: a hint
    r.notePeer([b!], 0); // a peer alone: discovered, not missing
    r.noteParent(c!, 0); // a fetched child alone: a hint
    r.noteTracker(d!, 1_000_000, 0); // however often the record says it was announced
    expect(r.size).toBe(4);
    expect(r.missing()).toBe(0);
    expect([a, c, d].map((id) => isConfirmed(r.get(id!)!))).toEqual([false, false, false]);
    r.notePeer([a!, c!], 0);
    r.notePeer([a!], 0); // no double count
    expect(r.missing()).toBe(2);
    r.noteTracker(b!, 1, 0); // a peer's id the tracker lists: confirmed
    expect(r.missing()).toBe(3);
    r.notePeer([e!], 0);
    expect(r.missing()).toBe(3);
    r.held(a!);
    r.held(b!);
    expect(r.missing()).toBe(1);
  });

  it('5. a given-up id is forgotten, and the record listing it again does not bring it back', () => {
    const r = new DiscoveryRecord();
    const [a, b] = ids(2);
    r.noteTracker(a!, 3, 0);
    r.noteTracker(b!, 3, 0);
    r.notePeer([b!], 0);
    expect(r.missing()).toBe(1);
    r.giveUp(r.get(a!)!);
    r.giveUp(r.get(b!)!);
    expect(r.size).toBe(0);
    expect(r.missing()).toBe(0);
    expect(r.gaveUpOn(a!) && r.gaveUpOn(b!)).toBe(true);
    r.noteTracker(a!, 9, 1); // listed again, on every record page
    expect(r.get(a!)).toBeUndefined();
    r.notePeer([b!], 1); // a peer announcing it makes an entry gossip fetches, not a torrent candidate
    expect(r.get(b!)).toMatchObject({ peerSeen: 1, trackerSeen: 0 });
    r.noteTracker(b!, 9, 1);
    expect(r.missing()).toBe(0);
  });

  it(`5. the given-up set holds at most MAX_GIVEN_UP (${MAX_GIVEN_UP}); past it the oldest given up goes`, () => {
    const r = new DiscoveryRecord();
    const all = ids(MAX_GIVEN_UP + 2);
    for (const id of all) {
      r.noteTracker(id, 1, 0);
      r.giveUp(r.get(id)!);
    }
    expect(r.givenUpCount).toBe(MAX_GIVEN_UP);
    expect(r.size).toBe(0);
    expect(r.gaveUpOn(all[0]!) || r.gaveUpOn(all[1]!)).toBe(false);
    expect(r.gaveUpOn(all[2]!) && r.gaveUpOn(all[MAX_GIVEN_UP + 1]!)).toBe(true);
    r.noteTracker(all[0]!, 1, 1); // forgotten: noted (and tried) once more
    expect(r.get(all[0]!)).toBeDefined();
  });

  it(`6. holds at most MAX_DISCOVERED (${MAX_DISCOVERED}); past it forgets the least seen, oldest first`, () => {
    const r = new DiscoveryRecord();
    const all = ids(MAX_DISCOVERED + 1);
    // The first half seen twice, the second half once; the oldest entry of all is being fetched.
    all.slice(0, MAX_DISCOVERED).forEach((id, i) => r.noteTracker(id, i < MAX_DISCOVERED / 2 ? 2 : 1, i));
    const fetching = r.get(all[MAX_DISCOVERED / 2]!)!;
    fetching.fetching = true;
    expect(r.size).toBe(MAX_DISCOVERED);
    r.noteTracker(all[MAX_DISCOVERED]!, 1, MAX_DISCOVERED);
    expect(r.size).toBe(MAX_DISCOVERED - EVICT_BATCH + 1);
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

  it('6. a flood of hints, however often listed, evicts hints before any id a peer confirmed', () => {
    const r = new DiscoveryRecord();
    const confirmed = ids(EVICT_BATCH, 10 * MAX_DISCOVERED);
    for (const id of confirmed) {
      r.noteTracker(id, 1, 0);
      r.notePeer([id], 0);
    }
    for (const id of ids(MAX_DISCOVERED)) r.noteTracker(id, 1_000_000, 1);
    expect(r.size).toBeLessThanOrEqual(MAX_DISCOVERED);
    expect(r.evictions()).toBeGreaterThan(0);
    expect(r.missing()).toBe(EVICT_BATCH);
    for (const id of confirmed) expect(r.get(id)).toBeDefined();
  });
});

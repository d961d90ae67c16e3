// Each rule of heldPolicy's specification, with the real bounds filled past their limits: expiry, the
// per-peer bound (oldest dropped), the total bound (misbehaving peers first, then the oldest, the node's
// own last), and a deterministic answer whatever the input order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HELD_TTL_MS,
  heldToDrop,
  MAX_HELD_PER_PEER,
  MAX_HELD_TOTAL,
  type HeldEntry,
} from '../../../src/net/exchange/heldPolicy.ts';

const NONE = new Set<string>();

/** `n` entries from `from`, held at times `start`, `start + 1`, … */
function entries(n: number, from: string | null, start = 0): HeldEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${from ?? 'own'}-${String(start + i).padStart(6, '0')}`,
    from,
    heldAt: start + i,
  }));
}

describe('heldToDrop', () => {
  it('keeps everything under every bound', () => {
    const held = [...entries(MAX_HELD_PER_PEER, 'a'), ...entries(10, null)];
    expect(heldToDrop(held, 1000, NONE)).toEqual([]);
  });

  it('1. drops what was held for HELD_TTL_MS or longer, own transactions too', () => {
    const held = [...entries(3, 'a', 0), ...entries(2, null, 1), ...entries(2, 'b', 10)];
    expect(heldToDrop(held, HELD_TTL_MS + 1, NONE)).toEqual(['a-000000', 'a-000001', 'own-000001']); // ties in age by id;
    expect(heldToDrop(held, HELD_TTL_MS - 1, NONE)).toEqual([]);
  });

  it('2. keeps at most MAX_HELD_PER_PEER from one peer, dropping its oldest', () => {
    const held = [...entries(MAX_HELD_PER_PEER + 25, 'a'), ...entries(MAX_HELD_PER_PEER, 'b')];
    expect(heldToDrop(held, MAX_HELD_PER_PEER + 25, NONE)).toEqual(entries(25, 'a').map((e) => e.id));
  });

  it("2. puts no per-peer bound on the node's own", () => {
    expect(heldToDrop(entries(MAX_HELD_PER_PEER + 25, null), 0, NONE)).toEqual([]);
  });

  it('3. keeps at most MAX_HELD_TOTAL, dropping from misbehaving peers first, then the oldest', () => {
    const peers = Math.ceil(MAX_HELD_TOTAL / MAX_HELD_PER_PEER);
    const honest = Array.from({ length: peers }, (_, p) => entries(MAX_HELD_PER_PEER, `h${p}`, p * 10_000));
    const rogue = entries(20, 'rogue', 1_000_000); // the newest, but from a peer that misbehaved
    const held = [...honest.flat(), ...rogue];
    const excess = held.length - MAX_HELD_TOTAL;
    const drop = heldToDrop(held, 1_000_100, new Set(['rogue']));
    expect(drop).toHaveLength(excess);
    expect(drop.slice(0, 20)).toEqual(rogue.map((e) => e.id));
    expect(drop.slice(20)).toEqual(honest[0]!.slice(0, excess - 20).map((e) => e.id));
  });

  it("3. drops the node's own last", () => {
    const own = entries(MAX_HELD_TOTAL, null, 0); // the oldest of all
    const peer = entries(10, 'a', 100_000);
    expect(heldToDrop([...own, ...peer], 100_010, NONE)).toEqual(peer.map((e) => e.id));
    expect(heldToDrop([...own, ...entries(1, null, 100_000)], 100_010, NONE)).toEqual([own[0]!.id]);
  });

  it('applies the rules in order, each id once, the same answer for any input order', () => {
    const entry = fc.record({
      id: fc.integer({ min: 0, max: 300 }).map((n) => `tx${n}`),
      from: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }),
      heldAt: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { selector: (e) => e.id, maxLength: 300 }),
        fc.integer({ min: 0, max: 200 }),
        fc.subarray(['a', 'b', 'c']),
        (held, now, bad) => {
          const limits = { maxPerPeer: 20, maxTotal: 50, ttlMs: 100 };
          const drop = heldToDrop(held, now, new Set(bad), limits);
          expect(new Set(drop).size).toBe(drop.length);
          expect(heldToDrop([...held].reverse(), now, new Set(bad), limits)).toEqual(drop);
          const kept = held.filter((e) => !drop.includes(e.id));
          expect(kept.length).toBeLessThanOrEqual(limits.maxTotal);
          for (const e of kept) expect(now - e.heldAt).toBeLessThan(limits.ttlMs);
          for (const peer of ['a', 'b', 'c']) {
            expect(kept.filter((e) => e.from === peer).length).toBeLessThanOrEqual(limits.maxPerPeer);
          }
          // Nothing is dropped that no rule asks for.
          const live = held.filter((e) => now - e.heldAt < limits.ttlMs);
          if (
            live.length <= limits.maxTotal &&
            ['a', 'b', 'c'].every((p) => live.filter((e) => e.from === p).length <= limits.maxPerPeer)
          ) {
            expect(kept).toEqual(live);
          }
        },
      ),
    );
  });
});

// Holder counts' specification (src/net/evidence/holderCounts.ts), filled past both bounds.
import { describe, expect, it } from 'vitest';
import { HolderCounts, MAX_HOLDERS_NOTED, MAX_TRACKED_IDS } from '../../../src/net/evidence/holderCounts.ts';

const id = (n: number) => n.toString(16).padStart(40, '0');

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
    expect(holders.counts([id(0), id(1)])).toEqual({ [id(0)]: 2 });
  });
});

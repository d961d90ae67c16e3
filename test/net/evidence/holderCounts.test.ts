// Holder counts' specification (src/net/evidence/holderCounts.ts), filled past both bounds.
import { describe, expect, it } from 'vitest';
import {
  HolderCounts,
  MAX_HOLDERS_NOTED,
  MAX_RECONCILED_PEERS,
  MAX_TRACKED_IDS,
} from '../../../src/net/evidence/holderCounts.ts';

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
    expect(holders.counts([{ id: id(0) }, { id: id(1) }])).toEqual({ [id(0)]: 2 });
  });

  it('5: peers reconciled after this node had an id count for it, once, the last MAX_RECONCILED_PEERS', () => {
    const holders = new HolderCounts();
    holders.saw(id(1), 'p1');
    holders.reconciled('p1', 500); // already noted: not counted twice
    holders.reconciled('p2', 500);
    holders.reconciled('p3', 100); // began before this node had the id
    expect(holders.count(id(1), 200)).toBe(2);
    expect(holders.count(id(2), 200)).toBe(2); // p1 and p2: reconciled since
    expect(holders.count(id(2))).toBe(0); // without `since`, noted peers only
    for (let n = 0; n < MAX_RECONCILED_PEERS; n++) holders.reconciled(`q${n}`, 50);
    expect(holders.count(id(2), 200)).toBe(0); // p1, p2 forgotten; the q peers began too early
    expect(holders.count(id(2), 0)).toBe(MAX_HOLDERS_NOTED); // capped
  });
});

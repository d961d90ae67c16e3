// The Network view's first sentence (src/ui/networkSummary.ts): how many people, how many payments the
// network holds, and whether this device has them all, in words.
import { describe, expect, it } from 'vitest';
import { networkSummary } from '../../src/ui/networkSummary.ts';

describe('networkSummary', () => {
  it('says this device has all of them when nothing is missing', () => {
    expect(networkSummary(3, 1234, 1234)).toBe(
      'Connected to 3 people; the network holds 1,234 payments; you have all of them.',
    );
    expect(networkSummary(1, 1, 1)).toBe('Connected to 1 person; the network holds 1 payment; you have it.');
  });

  it('says how many are missing, in words', () => {
    expect(networkSummary(2, 10, 7)).toBe(
      'Connected to 2 people; the network holds 10 payments; you have 7 of them; 3 are still on the way.',
    );
    expect(networkSummary(2, 10, 9)).toMatch(/; 1 is still on the way\.$/);
  });

  it('with nobody connected, tells only what this device holds', () => {
    expect(networkSummary(0, 5, 5)).toBe('Connected to nobody right now; this device holds 5 payments.');
  });
});

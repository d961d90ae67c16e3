// DISHONEST (src/core/verdict.ts) decides which invalid transactions get their sender disconnected:
// every reason must be classed, and only `parent-rejected` may come from an honest node.
import { describe, expect, it } from 'vitest';
import { DISHONEST, isDishonest, type InvalidReason } from '../../src/core/verdict.ts';

// A Record over InvalidReason: adding a reason without classing it here is a compile error.
const honestNodeMayRelay: Record<InvalidReason, boolean> = {
  'too-large': false,
  malformed: false,
  'non-canonical': false,
  'bad-signature': false,
  'not-genesis': false,
  // Its parent lost a double spend here; a node that saw the other side first accepted it.
  'parent-rejected': true,
  'wrong-owner': false,
  'time-before-prev': false,
  overspend: false,
};

describe('DISHONEST', () => {
  for (const [reason, relayable] of Object.entries(honestNodeMayRelay)) {
    it(`${reason}: ${relayable ? 'an honest node may relay it' : 'no honest node relays it'}`, () => {
      expect(DISHONEST.has(reason as InvalidReason)).toBe(!relayable);
      expect(isDishonest(reason)).toBe(!relayable);
    });
  }

  it('holds nothing else; a conflict, a missing or an unknown reason is not dishonest', () => {
    expect([...DISHONEST].every((r) => r in honestNodeMayRelay)).toBe(true);
    for (const other of ['conflict', undefined, '', 'made-up']) expect(isDishonest(other)).toBe(false);
  });
});

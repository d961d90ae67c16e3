// The claim word a checker thread and the node's thread share (src/node/batchClaims.ts): claims from
// the front and from the back, in any interleaving, take every item exactly once, and none after that.
import { expect, it } from 'vitest';
import { claimBack, claimFront, MAX_CLAIMABLE, newClaims } from '../../src/node/batchClaims.ts';

it('claims from both ends take every item once, in any interleaving', () => {
  for (const count of [0, 1, 2, 7, 1000, MAX_CLAIMABLE]) {
    for (const pattern of [[true], [false], [true, false], [true, true, false], [false, false, true]]) {
      const claims = newClaims(count);
      const front: number[] = [];
      const back: number[] = [];
      for (let step = 0; ; step++) {
        const fromFront = pattern[step % pattern.length]!;
        const at = fromFront ? claimFront(claims) : claimBack(claims);
        if (at < 0) break;
        (fromFront ? front : back).push(at);
      }
      // The front takes 0, 1, 2, … and the back count − 1, count − 2, …: together, each item once.
      expect(front).toEqual(front.map((_, i) => i));
      expect(back).toEqual(back.map((_, i) => count - 1 - i));
      expect(front.length + back.length).toBe(count);
      expect([claimFront(claims), claimBack(claims)]).toEqual([-1, -1]);
    }
  }
});

it('refuses a batch too large for the word', () => {
  expect(() => newClaims(MAX_CLAIMABLE + 1)).toThrow(RangeError);
});

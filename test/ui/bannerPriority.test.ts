// One notice at a time besides the lock bar (src/ui/bannerPriority.ts): the first of the priority order
// that has something to say, none when none has.
import { describe, expect, it } from 'vitest';
import { BANNER_PRIORITY, bannerToShow } from '../../src/ui/bannerPriority.ts';

describe('bannerToShow', () => {
  it('shows none when none has something to say', () => {
    expect(bannerToShow({})).toBeNull();
    expect(bannerToShow({ offline: false, update: false })).toBeNull();
  });

  it('shows the first in priority order of those that want to be shown, whichever else does', () => {
    for (const [i, banner] of BANNER_PRIORITY.entries()) {
      const all = Object.fromEntries(BANNER_PRIORITY.map((b, j) => [b, j >= i]));
      expect(bannerToShow(all)).toBe(banner);
      expect(bannerToShow({ [banner]: true })).toBe(banner);
    }
    expect(bannerToShow({ sync: true, 'payment-link': true, offline: true })).toBe('payment-link');
  });
});

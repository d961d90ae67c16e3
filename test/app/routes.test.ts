// The wallet's hash routes (src/app/routes.ts): each view has its own hash and reads back as itself;
// payment links open Send; invite links, the empty hash and anything unknown show Home.
import { describe, expect, it } from 'vitest';
import { hashOf, VIEWS, viewOfHash } from '../../src/app/routes.ts';

describe('hash routes', () => {
  it('give each view a hash that reads back as the same view', () => {
    expect(VIEWS.map(hashOf)).toEqual(['#/', '#/send', '#/receive', '#/activity', '#/accounts', '#/network']);
    for (const view of VIEWS) expect(viewOfHash(hashOf(view))).toBe(view);
  });

  it('open Send for a payment link, and Home for an invite link, no hash or an unknown one', () => {
    expect(viewOfHash('#pay?to=ttx1abc&tokens=5')).toBe('send');
    expect(viewOfHash('#pay?uri=web%2Bttx%3Attx1abc')).toBe('send');
    for (const hash of ['#join=eyJ9', '', '#', '#/', '#/nowhere', '#/send/x', '#send']) {
      expect(viewOfHash(hash), hash).toBe('home');
    }
  });
});

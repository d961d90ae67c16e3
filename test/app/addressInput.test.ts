// The one normalisation of a typed, pasted or scanned address (src/app/addressInput.ts): spaces trimmed,
// all capitals lowercased (bech32 allows them; QR codes use them), mixed case left for the check to refuse.
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/app/addressInput.ts';
import { checkAddress } from '../../src/core/address.ts';
import { v1 } from '../support/vectors.ts';

const alice = v1.people.alice!.address;

describe('normalizeAddress', () => {
  it('takes an address in capitals, with spaces around, as the address itself', () => {
    expect(normalizeAddress(`  ${alice.toUpperCase()}\n`)).toBe(alice);
    expect(normalizeAddress(alice)).toBe(alice);
    expect(checkAddress(normalizeAddress(alice.toUpperCase()))).toMatchObject({ ok: true });
  });

  it('leaves mixed case as it is, for the address check to refuse', () => {
    const mixed = `${alice.slice(0, 10).toUpperCase()}${alice.slice(10)}`;
    expect(normalizeAddress(mixed)).toBe(mixed);
    expect(checkAddress(normalizeAddress(mixed))).toMatchObject({ ok: false });
  });
});

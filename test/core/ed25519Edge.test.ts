// Ed25519 edge cases (ed25519-speccheck): the core's verifier must give the strict consensus verdict of
// PROTOCOL §4 on every case, including small-order keys and non-canonical encodings.
import { describe, expect, it } from 'vitest';
import { verifyStrict } from '../../src/core/ed25519.ts';
import { hexToBytes } from '../../src/core/hex.ts';
import { edgeCases } from '../support/vectors.ts';

describe('strict Ed25519 on ed25519-speccheck cases', () => {
  it('has all ten cases', () => expect(edgeCases).toHaveLength(10));
  for (const c of edgeCases) {
    it(`case ${c.case}: ${c.strict ? 'verifies' : 'is rejected'}`, () => {
      const ok = verifyStrict(
        hexToBytes(c.signatureHex),
        hexToBytes(c.messageHex),
        hexToBytes(c.publicKeyHex),
      );
      expect(ok).toBe(c.strict);
    });
  }
});

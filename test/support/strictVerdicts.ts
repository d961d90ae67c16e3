// The checks every fast Ed25519 verifier must pass (a lax native or WebCrypto verifier behind the strict
// rules of PROTOCOL §4, src/core/fastStrictVerifier.ts): the strict verdict on every ed25519-speccheck
// case, on every crafted case where the lax verifier answers otherwise (fastVerifierCases.ts), and on
// random signatures and byte mutations of them. Defines the `it`s inside the caller's `describe`.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { publicKeyOf, signMessage, verifyStrict, type SignatureVerifier } from '../../src/core/ed25519.ts';
import type { LaxVerifier } from '../../src/core/fastStrictVerifier.ts';
import { hexToBytes } from '../../src/core/hex.ts';
import { fastVerifierCases } from './fastVerifierCases.ts';
import { edgeCases } from './vectors.ts';

export function itGivesStrictVerdicts(laxName: string, lax: LaxVerifier, verify: SignatureVerifier): void {
  for (const c of edgeCases) {
    it(`speccheck case ${c.case}: ${c.strict ? 'verifies' : 'is rejected'}`, async () => {
      const args = [
        hexToBytes(c.signatureHex),
        hexToBytes(c.messageHex),
        hexToBytes(c.publicKeyHex),
      ] as const;
      expect(await verify(...args)).toBe(c.strict);
    });
  }

  for (const c of fastVerifierCases()) {
    it(`${c.name}: ${laxName} says ${c.webCrypto}, strict says ${c.strict}`, async () => {
      expect(await lax(c.signature, c.message, c.publicKey)).toBe(c.webCrypto);
      expect(verifyStrict(c.signature, c.message, c.publicKey)).toBe(c.strict);
      expect(await verify(c.signature, c.message, c.publicKey)).toBe(c.strict);
    });
  }

  it('agrees with noble on random signatures and byte mutations of them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.nat(127),
        fc.nat(255),
        fc.boolean(),
        async (secret, message, at, xor, mutate) => {
          const bytes = new Uint8Array([...signMessage(message, secret), ...publicKeyOf(secret)]);
          if (mutate) bytes[at % 96]! ^= xor;
          const sig = bytes.subarray(0, 64);
          const key = bytes.subarray(64);
          expect(await verify(sig, message, key)).toBe(verifyStrict(sig, message, key));
        },
      ),
      { numRuns: 300 },
    );
  });
}

// The fast verifier (WebCrypto behind the strict rules, noble for every "no") gives the strict verdict of
// PROTOCOL §4 on every ed25519-speccheck case, on forged signatures WebCrypto alone would accept, on a
// small-order R that only the cofactored equation accepts, and on random valid and mutated signatures.
import { describe, expect, it } from 'vitest';
import { hasStrictSignatureEncoding } from '../../src/core/ed25519.ts';
import { fastStrictVerifier } from '../../src/core/fastStrictVerifier.ts';
import { hexToBytes } from '../../src/core/hex.ts';
import { webCryptoEd25519 } from '../../src/ledger/webCryptoVerifier.ts';
import { edgeCases } from '../support/vectors.ts';
import { itGivesStrictVerdicts } from '../support/strictVerdicts.ts';

const lax = await webCryptoEd25519();

describe('the fast strict verifier in Node', () => {
  it('finds WebCrypto Ed25519 in Node', () => expect(lax).toBeDefined());
  const verify = fastStrictVerifier(lax!);

  itGivesStrictVerdicts('WebCrypto', lax!, verify);

  it('falls back to noble when the fast path throws', async () => {
    const broken = fastStrictVerifier(() => Promise.reject(new Error('no Ed25519 here')));
    for (const c of edgeCases) {
      const args = [
        hexToBytes(c.signatureHex),
        hexToBytes(c.messageHex),
        hexToBytes(c.publicKeyHex),
      ] as const;
      expect(await broken(...args)).toBe(c.strict);
    }
  });
});

describe('hasStrictSignatureEncoding at the edges of its ranges', () => {
  const P = 2n ** 255n - 19n;
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const le = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
  const sig = (r: bigint, s: bigint) => new Uint8Array([...le(r), ...le(s)]);
  const SIGN = 2n ** 255n;
  const cases: [string, Uint8Array, boolean][] = [
    ['R: y = p − 1', sig(P - 1n, 0n), true],
    ['R: y = p', sig(P, 0n), false],
    ['R: y = 2^255 − 1', sig(SIGN - 1n, 0n), false],
    ['R: y = 1', sig(1n, 0n), true],
    ['R: y = 1 with the sign bit (x = 0)', sig(SIGN + 1n, 0n), false],
    ['R: y = p − 1 with the sign bit (x = 0)', sig(SIGN + P - 1n, 0n), false],
    ['R: y = 2 with the sign bit', sig(SIGN + 2n, 0n), true],
    ['S = L − 1', sig(1n, L - 1n), true],
    ['S = L', sig(1n, L), false],
    ['S = 2^256 − 1', sig(1n, 2n ** 256n - 1n), false],
  ];
  for (const [name, signature, ok] of cases) {
    it(`${name}: ${ok ? 'passes' : 'fails'}`, () => expect(hasStrictSignatureEncoding(signature)).toBe(ok));
  }
});

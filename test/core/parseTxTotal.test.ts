// parseTx is total (PROTOCOL §5.1–§5.4): on random bytes, strings, JSON texts and tx-shaped objects it
// returns a result that fits the input, never throws (arbitraries in test/support/textArbitraries.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/hex.ts';
import { encodeTx } from '../../src/core/makeTx.ts';
import { parseTx } from '../../src/core/parseTx.ts';
import { MAX_TX_BYTES } from '../../src/core/tx.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { anyCharUnit, txLikeTextArb } from '../support/textArbitraries.ts';

const PARSE_REASONS = ['too-large', 'malformed', 'non-canonical'];

/** parseTx's whole contract on one input: it returns, and what it returns fits the input. */
function checkParse(bytes: Uint8Array): void {
  const result = parseTx(bytes);
  if (result.ok) {
    expect(bytes.length).toBeLessThanOrEqual(MAX_TX_BYTES);
    // Only canonical bytes parse: re-encoding the parsed tx gives the very same bytes (PROTOCOL §2).
    expect(bytesToHex(encodeTx(result.tx))).toBe(bytesToHex(bytes));
  } else {
    expect(PARSE_REASONS).toContain(result.reason);
    expect(result.reason === 'too-large').toBe(bytes.length > MAX_TX_BYTES);
    expect(typeof result.detail).toBe('string');
  }
}

describe('parseTx is total (PROTOCOL §5.1–§5.4)', () => {
  // Each proves: parseTx never throws, answers ok or one of its three reasons, too-large exactly above
  // 1024 bytes, and ok only for canonical bytes. The sources differ in how far they get into the checks.
  it('on random bytes up to 1100', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1100 }), checkParse), { numRuns: 2000 });
  });
  it('on random strings of any code units (lone surrogates too)', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyCharUnit, maxLength: 600 }), (text) => checkParse(encodeUtf8(text))),
      { numRuns: 1000 },
    );
  });
  it('on random JSON texts', () => {
    fc.assert(
      fc.property(fc.json(), (text) => checkParse(encodeUtf8(text))),
      { numRuns: 1000 },
    );
  });
  it('on tx-shaped objects with good and bad fields', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(txLikeTextArb, (text) => {
        const bytes = encodeUtf8(text);
        checkParse(bytes);
        const result = parseTx(bytes);
        seen.add(result.ok ? 'ok' : result.reason);
      }),
      { numRuns: 2000 },
    );
    // The generator must reach every outcome, the happy path of check 4 included, or this proves little.
    expect([...seen].sort()).toEqual(['malformed', 'non-canonical', 'ok', 'too-large']);
  });
});

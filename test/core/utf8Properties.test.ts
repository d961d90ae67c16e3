// src/core/utf8.ts against the platform's TextDecoder and TextEncoder on random and edge bytes and strings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/hex.ts';
import { decodeUtf8Strict, encodeUtf8 } from '../../src/core/utf8.ts';
import { anyCharUnit } from '../support/textArbitraries.ts';

describe('UTF-8 (src/core/utf8.ts) agrees with TextDecoder and TextEncoder', () => {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const reference = (bytes: Uint8Array): string | undefined => {
    try {
      return decoder.decode(bytes);
    } catch {
      return undefined;
    }
  };
  /** Bytes near UTF-8's edges: overlong leads, surrogate and > U+10FFFF leads, continuation bytes. */
  const edgeByte = fc.oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0xbf }),
    fc.integer({ min: 0xc0, max: 0xff }),
    fc.constantFrom(
      0xc0,
      0xc1,
      0xc2,
      0xdf,
      0xe0,
      0xed,
      0xee,
      0xef,
      0xf0,
      0xf4,
      0xf5,
      0xff,
      0x80,
      0x8f,
      0x90,
      0x9f,
      0xa0,
      0xbf,
    ),
  );
  const bytesArb = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.array(edgeByte, { maxLength: 24 }).map((b) => Uint8Array.from(b)),
    fc.string({ unit: anyCharUnit, maxLength: 40 }).map(encodeUtf8),
    // Valid UTF-8 with one byte replaced: mostly breaks a sequence in a different place.
    fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), fc.nat(), edgeByte)
      .map(([text, at, byte]) => {
        const bytes = Uint8Array.from(new TextEncoder().encode(text));
        bytes[at % bytes.length] = byte;
        return bytes;
      }),
    // An ASCII run longer than one chunk of the decoder's fast path, with a multibyte tail.
    fc.tuple(fc.integer({ min: 1, max: 5000 }), edgeByte, edgeByte).map(([n, a, b]) => {
      const bytes = new Uint8Array(n + 2).fill(0x61);
      bytes[n] = a;
      bytes[n + 1] = b;
      return bytes;
    }),
  );

  // Proves decodeUtf8Strict is undefined exactly when the fatal TextDecoder throws, and the same
  // string otherwise (a leading BOM kept, as ignoreBOM does).
  it('decodeUtf8Strict ≡ TextDecoder(fatal, ignoreBOM)', () => {
    fc.assert(
      fc.property(bytesArb, (bytes) => {
        expect(decodeUtf8Strict(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 5000 },
    );
  });
  // Proves encodeUtf8 gives TextEncoder's bytes on any string, lone surrogates (→ U+FFFD) included.
  it('encodeUtf8 ≡ TextEncoder', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: anyCharUnit, maxLength: 60 }),
          fc.string({ unit: 'grapheme', maxLength: 30 }),
        ),
        (text) => {
          expect(bytesToHex(encodeUtf8(text))).toBe(bytesToHex(encoder.encode(text)));
        },
      ),
      { numRuns: 5000 },
    );
  });
  // Proves the two are inverse on well-formed strings.
  it('decodeUtf8Strict(encodeUtf8(s)) = s for well-formed s', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(decodeUtf8Strict(encodeUtf8(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

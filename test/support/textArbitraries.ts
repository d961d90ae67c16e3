// fast-check arbitraries for bytes and text: any UTF-16 units, characters JSON and UTF-8 find tricky, hex,
// addresses, odd field values and tx-shaped JSON texts.
import fc from 'fast-check';
import { addressOfKey } from '../../src/core/address.ts';
import { canonicalJson } from '../../src/core/canonicalJson.ts';
import { bytesToHex } from '../../src/core/hex.ts';
import { MAX_SAFE, TX_FIELDS } from '../../src/core/tx.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';

/** One UTF-16 unit or code point of any kind: well-formed code points and lone surrogates alike. */
export const anyCharUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);

/** Characters JSON escapes or that sit at UTF-8 and UTF-16 boundaries. */
export const trickyUnit = fc.constantFrom(
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u07ff',
  '\u0800',
  '\u2028',
  '\u2029',
  '\ud7ff',
  '\ue000',
  '\ufeff',
  '\uffff',
  '\u{10000}',
  '\u{10ffff}',
  'é',
  '€',
  '😀',
  '<',
);

/** The longest prefix of `text`, by whole code points, whose UTF-8 is at most `max` bytes. */
export function truncateUtf8(text: string, max: number): string {
  let out = '';
  let length = 0;
  for (const char of text) {
    length += encodeUtf8(char).length;
    if (length > max) break;
    out += char;
  }
  return out;
}

export const hexArb = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map(bytesToHex);
export const addressArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(addressOfKey);

/** Values that are wrong, or right only for some fields, or at the edge of a field's range. */
export const oddValueArb = fc.oneof(
  fc.constantFrom(0, -1, 1, -0, 0.5, 1e21, MAX_SAFE, MAX_SAFE + 1, MAX_SAFE + 2, null, true, '', 'ttx1'),
  hexArb(20),
  hexArb(32).map((h) => h.toUpperCase()),
  hexArb(31),
  hexArb(64),
  addressArb.map((a) => a.slice(0, -1) + (a.endsWith('q') ? 'p' : 'q')),
  fc.string({ unit: anyCharUnit, maxLength: 300 }),
  fc.jsonValue({ maxDepth: 1 }),
);

/**
 * tx.json-shaped texts: a valid field set with 0–3 fields replaced by odd values, deleted or added, and
 * written canonically or not. About a third stay valid, so every check of §5.1–§5.4 is reached.
 */
export const txLikeTextArb = fc
  .tuple(
    fc.record({
      tokens: fc.integer({ min: 1, max: MAX_SAFE }),
      to: addressArb,
      key: hexArb(32),
      time: fc.integer({ min: 0, max: MAX_SAFE }),
      prev: fc.option(hexArb(20), { nil: null }),
      nonce: fc.option(fc.nat(), { nil: undefined }),
      memo: fc.option(
        fc.oneof(
          fc.string({ unit: anyCharUnit, maxLength: 100 }),
          fc.string({ unit: trickyUnit, maxLength: 300 }),
          // Long memos of escaped characters: canonical text over 1024 bytes (too-large).
          fc.string({ unit: trickyUnit, minLength: 150, maxLength: 300 }),
        ),
        { nil: undefined },
      ),
      signature: hexArb(64),
    }),
    fc.array(
      fc.tuple(
        // Every known field, one unknown, and one that differs only by case.
        fc.constantFrom(...TX_FIELDS, 'extra', 'Tokens'),
        fc.option(oddValueArb, { nil: undefined }), // undefined deletes the field
      ),
      { maxLength: 3 },
    ),
  )
  .map(([fields, changes]) => {
    const value: Record<string, unknown> = { ...fields };
    for (const [name, odd] of changes) value[name] = odd;
    for (const name of Object.keys(value)) if (value[name] === undefined) delete value[name];
    return value;
  })
  .chain((value) =>
    fc.oneof(
      // The canonical text when there is one (no lone surrogate), else JSON.stringify's.
      { weight: 4, arbitrary: fc.constant(canonicalJson(value) ?? JSON.stringify(value)) },
      fc.constant(JSON.stringify(value)),
      fc.constant(JSON.stringify(value, null, 1)),
      // A member named __proto__ (an ordinary member by PROTOCOL §5.3), and a repeated member.
      fc.constant((canonicalJson(value) ?? '{}').replace('{', '{"__proto__":{},')),
      fc.constant((canonicalJson(value) ?? '{}').replace('{', '{"key":1,')),
    ),
  );

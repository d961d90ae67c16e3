// The signing message cut from a transaction's canonical text (signingMessageOfCanonical, what the ledger
// verifies against) is byte for byte the one signingMessage serialises (PROTOCOL §4), on random valid
// transactions whose memos are full of quotes, backslashes, commas and `"signature":"` look-alikes; and
// the work found from that message (workOfSigned, what checkParsedTx reports) is workOf's, nonce or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/hex.ts';
import { parseTx } from '../../src/core/parseTx.ts';
import { signingMessage, signingMessageOfCanonical } from '../../src/core/signingMessage.ts';
import { encodeTx } from '../../src/core/makeTx.ts';
import { workOf, workOfSigned } from '../../src/core/work.ts';
import { MAX_MEMO_BYTES, MAX_SAFE, MAX_TX_BYTES, type Tx } from '../../src/core/tx.ts';
import { addressArb, hexArb, trickyUnit, truncateUtf8 } from '../support/textArbitraries.ts';

const lookAlikes = fc.constantFrom(
  ',"signature":"',
  '","signature":"',
  '\\",\\"signature\\":\\"',
  '"signature"',
  ',"time":1,"signature":"' + 'a'.repeat(128) + '"',
);
const memoArb = fc
  .oneof(
    fc.string({ unit: trickyUnit, maxLength: 200 }),
    fc
      .array(fc.oneof(lookAlikes, fc.string({ unit: trickyUnit, maxLength: 8 })), { maxLength: 8 })
      .map((p) => p.join('')),
  )
  .map((memo) => truncateUtf8(memo, MAX_MEMO_BYTES));
const txArb = fc.record({
  tokens: fc.integer({ min: 1, max: MAX_SAFE }),
  to: addressArb,
  key: hexArb(32),
  time: fc.integer({ min: 0, max: MAX_SAFE }),
  prev: fc.option(hexArb(20), { nil: null }),
  nonce: fc.option(fc.integer({ min: 0, max: MAX_SAFE }), { nil: undefined }),
  memo: fc.option(memoArb, { nil: undefined }),
  signature: hexArb(64),
});

/** Random valid transactions, parsed: `check` sees each (with its canonical text); at least 500 get there. */
function forEveryParsedTx(check: (tx: Tx, text: string) => void): void {
  let checked = 0;
  fc.assert(
    fc.property(txArb, ({ nonce, memo, ...fields }) => {
      const tx: Tx = {
        ...fields,
        ...(nonce === undefined ? {} : { nonce }),
        ...(memo === undefined ? {} : { memo }),
      };
      const bytes = encodeTx(tx);
      if (bytes.length > MAX_TX_BYTES) return;
      const parsed = parseTx(bytes);
      if (!parsed.ok) throw new Error(`did not parse (${parsed.reason}: ${parsed.detail})`);
      checked++;
      check(parsed.tx, parsed.text);
    }),
    { numRuns: 1000 },
  );
  expect(checked).toBeGreaterThan(500);
}

describe('signingMessageOfCanonical', () => {
  it('gives the bytes signingMessage gives, on every parsed transaction', () => {
    forEveryParsedTx((tx, text) => {
      expect(bytesToHex(signingMessageOfCanonical(tx, text))).toBe(bytesToHex(signingMessage(tx)));
    });
  });
});

describe('workOfSigned', () => {
  it('gives the work workOf gives, with and without a nonce', () => {
    let withNonce = 0;
    forEveryParsedTx((tx, text) => {
      if (tx.nonce !== undefined) withNonce++;
      expect(workOfSigned(tx, signingMessageOfCanonical(tx, text))).toBe(workOf(tx));
    });
    expect(withNonce).toBeGreaterThan(100);
  });

  it('finds real work without a nonce (the shortcut), mined here through the time field', () => {
    // Random transactions mostly have 0 or 1 bits of work; this one has ≥ 12, so a wrong base would show.
    const fields = { tokens: 5, to: 'ttx1' + 'q'.repeat(38), key: 'ab'.repeat(32), prev: 'cd'.repeat(20) };
    let time = 0;
    while (workOf({ ...fields, time }) < 12) time++;
    const tx: Tx = { ...fields, time, signature: 'ef'.repeat(64) };
    expect(workOfSigned(tx, signingMessage(tx))).toBe(workOf(tx));
    expect(workOfSigned(tx, signingMessage(tx))).toBeGreaterThanOrEqual(12);
  });
});

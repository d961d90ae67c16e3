// The signing message cut from a transaction's canonical text (signingMessageOfCanonical, what the ledger
// verifies against) is byte for byte the one signingMessage serialises (PROTOCOL §4), on random valid
// transactions whose memos are full of quotes, backslashes, commas and `"signature":"` look-alikes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/hex.ts';
import { parseTx } from '../../src/core/parseTx.ts';
import { signingMessage, signingMessageOfCanonical } from '../../src/core/signingMessage.ts';
import { encodeTx } from '../../src/core/makeTx.ts';
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

describe('signingMessageOfCanonical', () => {
  it('gives the bytes signingMessage gives, on every parsed transaction', () => {
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
        expect(bytesToHex(signingMessageOfCanonical(parsed.tx, parsed.text))).toBe(
          bytesToHex(signingMessage(parsed.tx)),
        );
      }),
      { numRuns: 1000 },
    );
    expect(checked).toBeGreaterThan(500);
  });
});

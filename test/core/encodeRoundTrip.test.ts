// encode → parse → encode (PROTOCOL §2): random signed transactions round-trip byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTxBytes } from '../../src/core/checkTx.ts';
import { bytesToHex } from '../../src/core/hex.ts';
import { encodeTx, keyPairOf, signTx } from '../../src/core/makeTx.ts';
import { parseTx } from '../../src/core/parseTx.ts';
import { MAX_MEMO_BYTES, MAX_SAFE, MAX_TX_BYTES, type UnsignedTx } from '../../src/core/tx.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { trickyUnit, truncateUtf8, hexArb, addressArb } from '../support/textArbitraries.ts';

describe('encode → parse → encode (PROTOCOL §2)', () => {
  const memoArb = fc
    .oneof(
      fc.string({ unit: 'binary', maxLength: 280 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.string({ unit: trickyUnit, maxLength: 280 }),
      fc.constantFrom('x'.repeat(MAX_MEMO_BYTES), '€'.repeat(93) + 'a', '😀'.repeat(70), ''),
    )
    .map((memo) => truncateUtf8(memo, MAX_MEMO_BYTES));
  const txArb = fc.record({
    secret: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    tokens: fc.oneof(fc.integer({ min: 1, max: MAX_SAFE }), fc.constantFrom(1, MAX_SAFE)),
    to: addressArb,
    time: fc.oneof(fc.integer({ min: 0, max: MAX_SAFE }), fc.constantFrom(0, MAX_SAFE)),
    prev: fc.option(hexArb(20), { nil: null }),
    nonce: fc.option(fc.oneof(fc.integer({ min: 0, max: MAX_SAFE }), fc.constantFrom(0, MAX_SAFE)), {
      nil: undefined,
    }),
    memo: fc.option(memoArb, { nil: undefined }),
  });

  // Proves a signed tx's canonical bytes parse back to the same tx, re-encode to the same bytes and pass
  // checks 1–5 under the same id; or, when escapes push them over 1024 bytes, are too-large.
  it('random signed txs round-trip byte for byte', async () => {
    let tooLarge = 0;
    await fc.assert(
      fc.asyncProperty(txArb, async ({ secret, nonce, memo, ...fields }) => {
        const pair = keyPairOf(secret);
        const unsigned: UnsignedTx = {
          ...fields,
          key: pair.publicKey,
          ...(nonce === undefined ? {} : { nonce }),
          ...(memo === undefined ? {} : { memo }),
        };
        const tx = signTx(unsigned, secret);
        const bytes = encodeTx(tx);
        const parsed = parseTx(bytes);
        if (bytes.length > MAX_TX_BYTES) {
          tooLarge++;
          expect(parsed).toMatchObject({ ok: false, reason: 'too-large' });
          return;
        }
        if (!parsed.ok) throw new Error(`did not parse (${parsed.reason}: ${parsed.detail})`);
        expect(parsed.tx).toEqual(tx);
        expect(bytesToHex(encodeTx(parsed.tx))).toBe(bytesToHex(bytes));
        expect(await checkTxBytes(bytes)).toMatchObject({ ok: true, id: txIdOf(bytes) });
      }),
      { numRuns: 300 },
    );
    expect(tooLarge).toBeLessThan(300); // most runs must take the round-trip branch
  });
});

// The review's cost in one line of words (src/ui/feeLine.ts): no protocol figures (bits, bases, "by
// chance"), what the person pays and how long their device works, for each choice the review offers.
import { describe, expect, it } from 'vitest';
import { durationWords, expectedHashes, feeLine, type FeeLineInput } from '../../src/ui/feeLine.ts';

const ONE_PART = [{ baseBits: 8, workWithoutMining: 2 }];
const line = (input: Partial<FeeLineInput>): string =>
  feeLine({
    parts: ONE_PART,
    choice: 0,
    feeWithoutWork: 6n,
    minted: 0n,
    hashesPerSecond: 1000,
    ...input,
  });

describe('durationWords', () => {
  it('says a duration as a person reads it, rounding seconds up', () => {
    expect(durationWords(0)).toBe('under a second');
    expect(durationWords(0.99)).toBe('under a second');
    expect(durationWords(1)).toBe('about 1 s');
    expect(durationWords(3.2)).toBe('about 4 s');
    expect(durationWords(89)).toBe('about 89 s');
    expect(durationWords(90)).toBe('about 2 min');
    expect(durationWords(45 * 60)).toBe('about 45 min');
    expect(durationWords(3 * 3600)).toBe('about 3 h');
  });
});

describe('expectedHashes', () => {
  it('is 2^target for each part mined, nothing when the fee is paid or the target is 0', () => {
    expect(expectedHashes(ONE_PART, 0)).toBe(256);
    expect(expectedHashes(ONE_PART, 4)).toBe(4096);
    expect(expectedHashes([...ONE_PART, { baseBits: 10, workWithoutMining: 0 }], 0)).toBe(256 + 1024);
    expect(expectedHashes(ONE_PART, 'fee')).toBe(0);
    expect(expectedHashes([{ baseBits: 0, workWithoutMining: 0 }], 0)).toBe(0);
  });
});

describe('feeLine', () => {
  it('says no fee and how long the device works, from its measured speed', () => {
    expect(line({ hashesPerSecond: 100 })).toBe('Network fee: none (your device works about 3 s)');
    expect(line({ hashesPerSecond: 1_000_000 })).toBe('Network fee: none (your device works under a second)');
    expect(line({ parts: [{ baseBits: 20, workWithoutMining: 0 }], hashesPerSecond: 1000 })).toBe(
      'Network fee: none (your device works about 17 min)',
    );
    expect(line({ hashesPerSecond: 0 })).toBe('Network fee: none (your device does some work first)');
  });

  it('says the fee when the person chose to send at once, and no work', () => {
    expect(line({ choice: 'fee' })).toBe('Network fee: 6 tokens (sent at once, your device does no work)');
    expect(line({ choice: 'fee', feeWithoutWork: 1n })).toMatch(/^Network fee: 1 token \(/);
    expect(line({ choice: 'fee', feeWithoutWork: 0n })).toBe(
      'Network fee: none (sent at once: this payment needs no work)',
    );
  });

  it('says what mining more mints for the recipient, and the longer work', () => {
    expect(line({ choice: 4, minted: 4000n, hashesPerSecond: 1000 })).toBe(
      'Network fee: none (your device works about 5 s and mints 4,000 tokens or more for the recipient)',
    );
  });

  it('says so when a branch asks for no work', () => {
    expect(line({ parts: [{ baseBits: 0, workWithoutMining: 0 }] })).toBe(
      'Network fee: none (this payment needs no work)',
    );
  });

  it('never speaks protocol', () => {
    for (const choice of [0, 'fee', 4] as const) {
      expect(line({ choice, minted: 4n })).not.toMatch(/bit|base|chance|nonce|hash|proof/iu);
    }
  });
});

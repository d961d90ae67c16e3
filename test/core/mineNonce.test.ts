// The chunked miner: finds a nonce of the asked work, reports progress, splits work across a pool, and
// the found nonce gives the work that consensus computes.
import { describe, expect, it } from 'vitest';
import { mineChunk, mineNonce } from '../../src/core/mineNonce.ts';
import { leadingZeroBits, powHash, workBase, workOf, writeNonce } from '../../src/core/work.ts';
import { v1 } from '../support/vectors.ts';

const unsigned = {
  tokens: 5,
  to: v1.people.bob!.address,
  key: v1.people.alice!.publicKeyHex,
  time: 1767225600000,
  prev: v1.genesisId,
};

describe('mineNonce', () => {
  it('finds a nonce with at least the target work, and consensus agrees', () => {
    const base = workBase(unsigned);
    let last;
    for (const state of mineNonce(base, 12, { chunk: 1000 })) last = state;
    expect(last?.found).toBe(true);
    expect(last!.bestWork).toBeGreaterThanOrEqual(12);
    expect(workOf({ ...unsigned, nonce: last!.bestNonce })).toBe(last!.bestWork);
  });
  it('yields growing progress per chunk and stops when the caller stops iterating', () => {
    const seen: number[] = [];
    for (const state of mineNonce(workBase(unsigned), 256, { chunk: 100 })) {
      seen.push(state.hashes);
      if (seen.length === 5) break;
    }
    expect(seen).toEqual([100, 200, 300, 400, 500]);
  });
  it('a pool with strides covers disjoint nonces', () => {
    const base = workBase(unsigned);
    const a = mineChunk(base, 256, 0, 2, 50);
    const b = mineChunk(base, 256, 1, 2, 50);
    expect(a.bestNonce % 2).toBe(0);
    expect(b.bestNonce % 2).toBe(1);
  });
  it('writes nonces above 2^32 big-endian', () => {
    const input = new Uint8Array(40);
    writeNonce(input, 2 ** 53 - 1);
    expect([...input.subarray(32)]).toEqual([0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(leadingZeroBits(new Uint8Array(32))).toBe(256);
    expect(leadingZeroBits(powHash(new Uint8Array(32), 0))).toBeLessThan(256);
  });
});

// The project's hex spelling: hexAt (the fast path for long id lists) spells exactly as bytesToHex does.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexAt } from '../../src/core/hex.ts';

describe('hexAt', () => {
  it('spells any slice as bytesToHex does', () => {
    const bytes = new Uint8Array(randomBytes(4096));
    bytes.set(Uint8Array.from({ length: 256 }, (_, i) => i)); // every byte value
    for (const [offset, length] of [
      [0, 256],
      [3, 20],
      [100, 32],
      [4000, 20],
      [7, 0],
      [0, 1],
    ] as const) {
      expect(hexAt(bytes, offset, length)).toBe(bytesToHex(bytes.subarray(offset, offset + length)));
    }
  });
});

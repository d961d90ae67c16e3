// Negentropy's varint (spec "Varint"): base-128 digits, most significant first, the high bit set on
// every byte but the last, as few digits as possible. Arithmetic rather than bit operations, because
// values reach 2^53 and JavaScript's bit operators work on 32 bits.
import { MAX_VARINT_VALUE } from './syncProtocol.ts';

/** Bytes the varint of `n` takes. */
export function varintLength(n: number): number {
  let length = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    length++;
  }
  return length;
}

/** Writes the varint of `n` (an integer in [0, 2^53]) at `offset`; returns the offset after it. */
export function writeVarint(target: Uint8Array, offset: number, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_VARINT_VALUE) throw new RangeError(`varint of ${n}`);
  const length = varintLength(n);
  for (let i = length - 1; i >= 0; i--) {
    const digit = n % 128;
    target[offset + i] = i === length - 1 ? digit : digit | 0x80;
    n = (n - digit) / 128;
  }
  return offset + length;
}

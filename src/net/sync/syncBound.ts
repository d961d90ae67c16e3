// A bound in the (time, id) order of a sync set (spec "Bound"): a time and a prefix of an id, the
// omitted trailing id bytes being zero. A range runs from its lower bound (inclusive) to its upper
// bound (exclusive). Negentropy's "infinity" timestamp is `Infinity` here.

export interface SyncBound {
  /** Integer ms in [0, 2^53 − 1], or Infinity: after every item. */
  readonly time: number;
  /** At most `idSize` bytes; empty for the infinity bound. */
  readonly prefix: Uint8Array;
}

export const ZERO_BOUND: SyncBound = { time: 0, prefix: new Uint8Array(0) };
export const INFINITY_BOUND: SyncBound = { time: Infinity, prefix: new Uint8Array(0) };

/** Compares two id prefixes as if both were padded with zero bytes to the same length. */
export function comparePrefixes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/** Orders bounds: by time, then by zero-padded prefix. */
export function compareBounds(a: SyncBound, b: SyncBound): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return comparePrefixes(a.prefix, b.prefix);
}

// Who checks which item of a batch sent to a checker thread (threadedChecker.ts, checkThread.ts): the
// thread takes items from the front, the node's own thread, while it has nothing else to do, from the
// back, so neither waits on the other at a batch's end. One shared Int32 holds both ends (the next front
// item in the low 16 bits, one past the last unclaimed item in the high 16), changed only by
// compare-and-swap, so an item is claimed exactly once.

/** Items at most in one claimable batch (both ends fit in 16 bits). */
export const MAX_CLAIMABLE = 0xffff;

/** A claim word over `count` items, none claimed. */
export function newClaims(count: number): Int32Array {
  if (count > MAX_CLAIMABLE) throw new RangeError(`${count} items: at most ${MAX_CLAIMABLE} can be claimed`);
  const claims = new Int32Array(new SharedArrayBuffer(4));
  claims[0] = count << 16;
  return claims;
}

/** Claims the front item (the checker thread): its index, or -1 once every item is claimed. */
export function claimFront(claims: Int32Array): number {
  for (;;) {
    const word = Atomics.load(claims, 0);
    const next = word & 0xffff;
    const end = word >>> 16;
    if (next >= end) return -1;
    if (Atomics.compareExchange(claims, 0, word, (end << 16) | (next + 1)) === word) return next;
  }
}

/** Claims the back item (the node's thread): its index, or -1 once every item is claimed. */
export function claimBack(claims: Int32Array): number {
  for (;;) {
    const word = Atomics.load(claims, 0);
    const next = word & 0xffff;
    const end = word >>> 16;
    if (next >= end) return -1;
    if (Atomics.compareExchange(claims, 0, word, ((end - 1) << 16) | next) === word) return end - 1;
  }
}

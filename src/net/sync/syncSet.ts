// The items one side reconciles: (time, id) pairs sorted by time, then id bytes (spec "Preparation"),
// held in flat typed arrays with prefix sums of the ids, so the fingerprint of any index range costs one
// 256-bit subtraction and one SHA-256, whatever its length (the reference sums every id of the range).
//
// Fingerprint (spec "Fingerprint Algorithm"): SHA-256 of (the sum of the range's ids mod 2^256, as 32
// bytes little-endian ‖ varint(count)), first 16 bytes. An id of `idSize` < 32 bytes is read as a
// little-endian integer of `idSize` bytes, i.e. as the 32-byte id padded with zero bytes at its end; the
// order of ids is the same either way. So with 20-byte ids this is exactly Negentropy v1 over ids padded
// to 32 bytes with 12 zero bytes, except that id lists carry the 20 meaningful bytes only.
import { sha256 } from '@noble/hashes/sha2.js';
import { hexAt, hexToBytes } from '../../core/hex.ts';
import type { SyncBound } from './syncBound.ts';
import { FINGERPRINT_BYTES, MAX_TIME } from './syncProtocol.ts';
import { writeVarint } from './varint.ts';

/** Size of a tx id (a v1 BitTorrent infohash, SHA-1). */
export const TX_ID_BYTES = 20;
/** Limbs of 32 bits in each 256-bit prefix sum. */
const LIMBS = 8;
const TWO_32 = 2 ** 32;

export interface SyncItem {
  readonly time: number;
  /** Lowercase hex of `idSize` bytes. */
  readonly id: string;
}

export class SyncSet {
  readonly idSize: number;
  #count = 0;
  #times: Float64Array;
  #ids: Uint8Array;
  /** #sums[8i .. 8i+8): the sum mod 2^256 of the ids of items [0, i), little-endian 32-bit limbs. */
  #sums: Uint32Array;
  readonly #scratch = new Uint8Array(32 + 8);

  private constructor(idSize: number, capacity: number) {
    if (!Number.isInteger(idSize) || idSize < 1 || idSize > 32) throw new RangeError(`id size ${idSize}`);
    this.idSize = idSize;
    this.#times = new Float64Array(capacity);
    this.#ids = new Uint8Array(capacity * idSize);
    this.#sums = new Uint32Array((capacity + 1) * LIMBS);
  }

  static empty(idSize = TX_ID_BYTES): SyncSet {
    return new SyncSet(idSize, 16);
  }

  /**
   * Builds a set from `times[i]` and the id at `ids[i*idSize ..]`, in any order; an item given twice is
   * kept once. Times must be integers in [0, 2^53 − 1]. Packed arrays travel between workers as
   * transferables, unlike 100,000 strings. O(n) if already sorted, O(n log n) otherwise.
   */
  static fromPacked(times: ArrayLike<number>, ids: Uint8Array, idSize = TX_ID_BYTES): SyncSet {
    const n = times.length;
    if (ids.length !== n * idSize) throw new RangeError(`${n} times but ${ids.length} id bytes`);
    for (let i = 0; i < n; i++) checkTime(times[i] as number);
    const set = new SyncSet(idSize, Math.max(16, n));
    const order = sortedOrder(times, ids, idSize);
    const outTimes = set.#times;
    const outIds = set.#ids;
    let count = 0;
    if (order === 'strictly increasing') {
      outTimes.set(times);
      outIds.set(ids);
      count = n;
    }
    for (let k = count; k < n; k++) {
      const i = typeof order === 'string' ? k : (order[k] as number);
      const time = times[i] as number;
      if (count > 0 && outTimes[count - 1] === time) {
        const prev = (count - 1) * idSize;
        if (compareIds(outIds, prev, ids, i * idSize, idSize) === 0) continue;
      }
      outTimes[count] = time;
      for (let b = 0, from = i * idSize, to = count * idSize; b < idSize; b++)
        outIds[to + b] = ids[from + b] as number;
      count++;
    }
    set.#count = count;
    set.#updateSums(0);
    return set;
  }

  static fromItems(items: Iterable<SyncItem>, idSize = TX_ID_BYTES): SyncSet {
    const list = [...items];
    const times = new Float64Array(list.length);
    const ids = new Uint8Array(list.length * idSize);
    list.forEach((item, i) => {
      times[i] = item.time;
      ids.set(idBytes(item.id, idSize), i * idSize);
    });
    return SyncSet.fromPacked(times, ids, idSize);
  }

  get size(): number {
    return this.#count;
  }

  /**
   * Adds one item (a tx accepted during or after a session); false if it was there already. Costs a move
   * of the items after it and their prefix sums: O(1) amortised for a new tx, whose time sorts it last.
   * Safe between the rounds of a session: each message is read against the set as it is then.
   */
  insert(time: number, id: string | Uint8Array): boolean {
    checkTime(time);
    const bytes = idBytes(id, this.idSize);
    const size = this.idSize;
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.#times[mid] as number;
      const c = t !== time ? t - time : compareIds(this.#ids, mid * size, bytes, 0, size);
      if (c === 0) return false;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    if (this.#count === this.#times.length) this.#grow();
    this.#times.copyWithin(lo + 1, lo, this.#count);
    this.#ids.copyWithin((lo + 1) * size, lo * size, this.#count * size);
    this.#times[lo] = time;
    this.#ids.set(bytes, lo * size);
    this.#count++;
    this.#updateSums(lo);
    return true;
  }

  timeAt(i: number): number {
    return this.#times[i] as number;
  }

  hexIdAt(i: number): string {
    return hexAt(this.#ids, i * this.idSize, this.idSize);
  }

  /** Copies the id of item `i` into `target` at `offset`. */
  copyIdAt(i: number, target: Uint8Array, offset: number): void {
    const size = this.idSize;
    for (let k = 0, from = i * size; k < size; k++) target[offset + k] = this.#ids[from + k] as number;
  }

  /** The first index in [from, size) whose item is not below `bound`, or size. */
  lowerBound(from: number, bound: SyncBound): number {
    let lo = from;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#isBelow(mid, bound)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The shortest bound between items i − 1 and i (0 < i < size): above the first, not above the second.
   * Just the time when their times differ, else the time and the id prefix one byte past what they share.
   */
  boundBefore(i: number): SyncBound {
    const time = this.#times[i] as number;
    if (this.#times[i - 1] !== time) return { time, prefix: new Uint8Array(0) };
    const size = this.idSize;
    const a = (i - 1) * size;
    const b = i * size;
    let shared = 0;
    while (shared < size - 1 && this.#ids[a + shared] === this.#ids[b + shared]) shared++;
    return { time, prefix: this.#ids.slice(b, b + shared + 1) };
  }

  /**
   * The fingerprint of items [lo, hi): 16 bytes. An empty range's is the same for every set, computed
   * once: a peer's message of empty ranges costs no hashing (a message may carry thousands).
   */
  fingerprint(lo: number, hi: number): Uint8Array {
    if (hi <= lo) return EMPTY_FINGERPRINT.slice();
    const sums = this.#sums;
    const out = this.#scratch;
    let borrow = 0;
    for (let j = 0; j < LIMBS; j++) {
      let d = (sums[hi * LIMBS + j] as number) - (sums[lo * LIMBS + j] as number) - borrow;
      borrow = d < 0 ? 1 : 0;
      if (d < 0) d += TWO_32;
      out[4 * j] = d & 0xff;
      out[4 * j + 1] = (d >>> 8) & 0xff;
      out[4 * j + 2] = (d >>> 16) & 0xff;
      out[4 * j + 3] = d >>> 24;
    }
    const end = writeVarint(out, 32, hi - lo);
    return sha256(out.subarray(0, end)).subarray(0, FINGERPRINT_BYTES);
  }

  #isBelow(i: number, bound: SyncBound): boolean {
    const time = this.#times[i] as number;
    if (time !== bound.time) return time < bound.time;
    const at = i * this.idSize;
    const prefix = bound.prefix;
    for (let k = 0; k < prefix.length; k++) {
      const d = (this.#ids[at + k] as number) - (prefix[k] as number);
      if (d !== 0) return d < 0;
    }
    return false; // equal prefix: the item's remaining bytes are ≥ the bound's implicit zeros
  }

  #grow(): void {
    const capacity = this.#times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.#times);
    const ids = new Uint8Array(capacity * this.idSize);
    ids.set(this.#ids);
    const sums = new Uint32Array((capacity + 1) * LIMBS);
    sums.set(this.#sums);
    this.#times = times;
    this.#ids = ids;
    this.#sums = sums;
  }

  /** Recomputes the prefix sums after item `from` changed: #sums[from + 1 ..] from #sums[from]. */
  #updateSums(from: number): void {
    const sums = this.#sums;
    const ids = this.#ids;
    const size = this.idSize;
    for (let i = from; i < this.#count; i++) {
      const prev = i * LIMBS;
      const next = prev + LIMBS;
      const at = i * size;
      let carry = 0;
      for (let j = 0; j < LIMBS; j++) {
        let limb = 0;
        const k = at + 4 * j;
        if (4 * j < size) {
          // Little-endian limb of the id; bytes past idSize are the padding zeros.
          limb = (ids[k] as number) + (4 * j + 1 < size ? (ids[k + 1] as number) * 0x100 : 0);
          limb += 4 * j + 2 < size ? (ids[k + 2] as number) * 0x10000 : 0;
          limb += 4 * j + 3 < size ? (ids[k + 3] as number) * 0x1000000 : 0;
        }
        const s = (sums[prev + j] as number) + limb + carry;
        sums[next + j] = s >>> 0;
        carry = s >= TWO_32 ? 1 : 0;
      }
    }
  }
}

/** Fingerprint of no items: SHA-256 of a zero sum (32 bytes) and varint(0). */
const EMPTY_FINGERPRINT = sha256(new Uint8Array(33)).subarray(0, FINGERPRINT_BYTES);

function checkTime(time: number): void {
  if (!Number.isInteger(time) || time < 0 || time > MAX_TIME) {
    throw new RangeError(`sync item time must be an integer in [0, 2^53 − 1], got ${time}`);
  }
}

function idBytes(id: string | Uint8Array, idSize: number): Uint8Array {
  const bytes = typeof id === 'string' ? hexToBytes(id) : id;
  if (bytes.length !== idSize)
    throw new RangeError(`sync item id must be ${idSize} bytes, got ${bytes.length}`);
  return bytes;
}

function compareIds(a: Uint8Array, at: number, b: Uint8Array, bt: number, size: number): number {
  for (let k = 0; k < size; k++) {
    const d = (a[at + k] as number) - (b[bt + k] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** The order that sorts the items, or whether they are in order already (with or without repeats). */
function sortedOrder(
  times: ArrayLike<number>,
  ids: Uint8Array,
  size: number,
): Uint32Array | 'strictly increasing' | 'non-decreasing' {
  const compare = (i: number, j: number): number => {
    const ti = times[i] as number;
    const tj = times[j] as number;
    return ti !== tj ? ti - tj : compareIds(ids, i * size, ids, j * size, size);
  };
  let strict = true;
  let i = 1;
  for (; i < times.length; i++) {
    const t = times[i] as number;
    const prev = times[i - 1] as number;
    if (prev < t) continue;
    const c = compare(i - 1, i);
    if (c > 0) break;
    if (c === 0) strict = false;
  }
  if (i >= times.length) return strict ? 'strictly increasing' : 'non-decreasing';
  const order = new Uint32Array(times.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort(compare);
}

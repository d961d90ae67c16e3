// SyncSet, the sorted item storage of set reconciliation: order, duplicates, insert, bounds between items,
// and fingerprints checked against an independent computation (BigInt sums, node:crypto SHA-256).
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyncMessageReader } from '../../src/net/sync/syncMessageReader.ts';
import { SyncSet } from '../../src/net/sync/syncSet.ts';
import { writeVarint } from '../../src/net/sync/varint.ts';
import { randomPackedItems } from '../support/reconcileSession.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Spec "Fingerprint Algorithm", written independently: BigInt sum mod 2^256, LE, varint count, SHA-256. */
function referenceFingerprint(ids: Uint8Array[]): string {
  let sum = 0n;
  for (const id of ids) sum += BigInt('0x' + (hex(Uint8Array.from(id).reverse()) || '0'));
  sum %= 2n ** 256n;
  const le = Buffer.from(sum.toString(16).padStart(64, '0'), 'hex').reverse();
  const count: number[] = [];
  let n = ids.length;
  do {
    count.unshift((n % 128) | (count.length ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return createHash('sha256')
    .update(Buffer.concat([le, Buffer.from(count)]))
    .digest('hex')
    .slice(0, 32);
}

function contents(set: SyncSet): string[] {
  return Array.from({ length: set.size }, (_, i) => `${set.timeAt(i)} ${set.hexIdAt(i)}`);
}

describe('SyncSet', () => {
  it('sorts by time then id and keeps an item given twice once', () => {
    const items = [
      { time: 5, id: 'bb'.repeat(20) },
      { time: 5, id: 'aa'.repeat(20) },
      { time: 2, id: 'ff'.repeat(20) },
      { time: 5, id: 'bb'.repeat(20) },
    ];
    expect(contents(SyncSet.fromItems(items))).toEqual([
      `2 ${'ff'.repeat(20)}`,
      `5 ${'aa'.repeat(20)}`,
      `5 ${'bb'.repeat(20)}`,
    ]);
  });

  it('takes sorted input as it is, repeats removed', () => {
    const { times, ids } = randomPackedItems(1000); // distinct times: the input is in (time, id) order
    const repeated = SyncSet.fromPacked(
      Float64Array.from([...times, ...times]).sort(),
      Uint8Array.from(
        Array.from({ length: 2000 }, (_, k) => [...ids.subarray((k >> 1) * 20, (k >> 1) * 20 + 20)]).flat(),
      ),
    );
    expect(contents(repeated)).toEqual(contents(SyncSet.fromPacked(times, ids)));
  });

  it('insert gives the same set as building from all items, and refuses a duplicate', () => {
    const { times, ids } = randomPackedItems(3000, 2000);
    const built = SyncSet.fromPacked(times, ids);
    const grown = SyncSet.empty();
    const order = fc.sample(
      fc.shuffledSubarray([...Array(3000).keys()], { minLength: 3000 }),
      1,
    )[0] as number[];
    for (const i of order)
      expect(grown.insert(times[i] as number, ids.subarray(i * 20, i * 20 + 20))).toBe(true);
    expect(grown.insert(times[0] as number, ids.subarray(0, 20))).toBe(false);
    expect(contents(grown)).toEqual(contents(built));
    for (const [lo, hi] of [
      [0, 3000],
      [17, 2400],
      [1000, 1001],
      [5, 5],
    ] as const) {
      expect(hex(grown.fingerprint(lo, hi))).toBe(hex(built.fingerprint(lo, hi)));
    }
  });

  it('fingerprints any range as the spec says', () => {
    const { times, ids } = randomPackedItems(500);
    const set = SyncSet.fromPacked(times, ids);
    const idAt = (i: number): Uint8Array => Buffer.from(set.hexIdAt(i), 'hex');
    fc.assert(
      fc.property(fc.nat(500), fc.nat(500), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const range = Array.from({ length: hi - lo }, (_, k) => idAt(lo + k));
        expect(hex(set.fingerprint(lo, hi))).toBe(referenceFingerprint(range));
      }),
      { numRuns: 200 },
    );
    // Sums wrap mod 2^256 with 32-byte ids of all ones.
    const ones = SyncSet.fromItems(
      [1, 2, 3].map((time) => ({ time, id: 'ff'.repeat(32) })),
      32,
    );
    expect(hex(ones.fingerprint(0, 3))).toBe(
      referenceFingerprint([1, 2, 3].map(() => new Uint8Array(32).fill(0xff))),
    );
  });

  it('a 20-byte id fingerprints as the same id padded with 12 zero bytes', () => {
    const { times, ids } = randomPackedItems(300);
    const padded = new Uint8Array(300 * 32);
    for (let i = 0; i < 300; i++) padded.set(ids.subarray(i * 20, i * 20 + 20), i * 32);
    const short = SyncSet.fromPacked(times, ids);
    const long = SyncSet.fromPacked(times, padded, 32);
    for (const [lo, hi] of [
      [0, 300],
      [3, 7],
      [100, 299],
    ] as const) {
      expect(hex(short.fingerprint(lo, hi))).toBe(hex(long.fingerprint(lo, hi)));
    }
  });

  it('the bound before an item separates it from the one before', () => {
    const { times, ids } = randomPackedItems(2000, 50); // many items per time: bounds need id prefixes
    const set = SyncSet.fromPacked(times, ids);
    for (let i = 1; i < set.size; i++) {
      const bound = set.boundBefore(i);
      expect(set.lowerBound(0, bound)).toBe(i);
      expect(set.lowerBound(i, bound)).toBe(i);
      expect(bound.prefix.length).toBeLessThanOrEqual(20);
    }
    expect(set.lowerBound(0, { time: Infinity, prefix: new Uint8Array(0) })).toBe(set.size);
  });

  it('refuses times and ids out of shape', () => {
    const id = randomBytes(20);
    for (const time of [-1, 1.5, 2 ** 53, NaN, Infinity]) {
      expect(() => SyncSet.fromPacked([time], id)).toThrow(RangeError);
      expect(() => SyncSet.empty().insert(time, id)).toThrow(RangeError);
    }
    expect(() => SyncSet.fromPacked([1, 2], id)).toThrow(/2 times but 20 id bytes/);
    expect(() => SyncSet.empty().insert(1, randomBytes(32))).toThrow(/must be 20 bytes, got 32/);
    expect(SyncSet.empty().insert(Number.MAX_SAFE_INTEGER, id)).toBe(true);
  });
});

describe('varint', () => {
  it('encodes as Negentropy does and reads back every value up to 2^53', () => {
    const encode = (n: number): string => {
      const out = new Uint8Array(8);
      return hex(out.subarray(0, writeVarint(out, 0, n)));
    };
    expect([0, 1, 127, 128, 300, 16383, 16384].map(encode)).toEqual([
      '00',
      '01',
      '7f',
      '8100',
      '822c',
      'ff7f',
      '818000',
    ]);
    expect(encode(2 ** 53)).toBe('9080808080808000');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const out = new Uint8Array(8);
        const end = writeVarint(out, 0, n);
        expect(new SyncMessageReader(out.subarray(0, end), 20).varint('n')).toBe(n);
      }),
    );
    expect(() => encode(2 ** 53 + 2)).toThrow(RangeError);
  });
});

// A hostile peer in set reconciliation: every malformed or out-of-bounds message shape ends in a
// ReconcileProtocolError (the caller disconnects the peer), random and mutated bytes never throw anything
// else, and each bound of src/net/sync/syncProtocol.ts is filled past its limit. Our own messages keep
// every bound, even where a peer's message would make us write more.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reconciler } from '../../src/net/sync/reconciler.ts';
import { SyncMessageReader } from '../../src/net/sync/syncMessageReader.ts';
import {
  DEFAULT_FRAME_SIZE_LIMIT,
  DEFAULT_MAX_ROUNDS,
  MAX_RANGES_PER_MESSAGE,
  MODE_FINGERPRINT,
} from '../../src/net/sync/syncProtocol.ts';
import { SyncSet } from '../../src/net/sync/syncSet.ts';
import { randomPackedItems, runSession, setOf } from '../support/reconcileSession.ts';

const V = 0x61;

/** Varint of any non-negative integer, including ones our writer refuses (over 2^53). */
function varint(n: bigint | number): number[] {
  let value = BigInt(n);
  const digits = [Number(value % 128n)];
  value /= 128n;
  while (value > 0n) {
    digits.unshift(Number(value % 128n) | 0x80);
    value /= 128n;
  }
  return digits;
}

const items = randomPackedItems(1000, 5000); // 5 s of times: several items share a time
const set = setOf(items, () => true);

function freshInitiator(): Reconciler {
  const initiator = new Reconciler(set);
  initiator.initiate();
  return initiator;
}

/** Runs `run`; a throw must be a ReconcileProtocolError. Returns its message, or undefined. */
function protocolErrorOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if ((err as Error).name !== 'ReconcileProtocolError') throw err;
    return (err as Error).message;
  }
}

/** Both roles reject `message` with a ReconcileProtocolError whose message matches `problem`. */
function expectRejected(message: number[], problem: RegExp): void {
  const bytes = Uint8Array.from(message);
  expect(protocolErrorOf(() => new Reconciler(set).respond(bytes))).toMatch(problem);
  expect(protocolErrorOf(() => freshInitiator().reconcile(bytes))).toMatch(problem);
}

/** Reads a message of ours with the strict reader: its ranges and the time of its last bound. */
function readRanges(message: Uint8Array): { ranges: number; last: number } {
  const reader = new SyncMessageReader(message, 20);
  reader.byte();
  let ranges = 0;
  let last = 0;
  while (reader.remaining > 0) {
    last = reader.bound().time;
    const mode = reader.varint('mode');
    if (mode === MODE_FINGERPRINT) reader.bytes(16, 'fingerprint');
    else if (mode === 2) reader.bytes(20 * reader.varint('count'), 'ids');
    ranges++;
  }
  return { ranges, last };
}
const rangesIn = (message: Uint8Array): number => readRanges(message).ranges;
const lastBoundIn = (message: Uint8Array): number => readRanges(message).last;

describe('malformed messages', () => {
  const cases: [string, number[], RegExp][] = [
    ['empty', [], /ends early/],
    ['not Negentropy', [0x00, 0, 0, 0], /not a Negentropy message: first byte 0x0/],
    ['a byte past the Negentropy versions', [0x70], /first byte 0x70/],
    ['truncated varint', [V, 0x81], /bound time: message ends in a varint/],
    ['varint with a leading zero digit', [V, 0x80, 0x01, 0, 0], /leading zero digit/],
    [
      'varint longer than 8 bytes',
      [V, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
      /longer than 8 bytes/,
    ],
    ['varint over 2^53', [V, ...varint(2n ** 53n + 1n), 0, 0], /varint over 2\^53/],
    [
      'bound time over 2^53 − 1',
      [V, ...varint(2 ** 53), 0, 0, 2, 0, 0],
      /bound time 9007199254740992 is over/,
    ],
    ['prefix longer than an id', [V, 1, 21, ...new Array(21).fill(1), 0], /prefix of 21 bytes, ids have 20/],
    ['huge prefix length', [V, 1, ...varint(2 ** 53), 0], /prefix of 9007199254740992 bytes/],
    ['prefix cut short', [V, 1, 5, 0xaa], /bound prefix: 5 bytes announced, 1 left/],
    ['infinity bound with a prefix', [V, 0, 1, 0xaa, 0], /infinity bound has an id prefix/],
    [
      'range after infinity',
      [V, 0, 0, 1, ...new Array(16).fill(0), 0, 0, 0],
      /after the one that ends at infinity/,
    ],
    ['decreasing prefixes on one time', [V, 6, 1, 0x10, 0, 1, 1, 0x05, 0], /bounds decrease/],
    ['unknown mode', [V, 0, 0, 3], /unknown range mode 3/],
    ['huge mode', [V, 0, 0, ...varint(2 ** 40)], /unknown range mode/],
    ['mode missing', [V, 0, 0], /mode: message ends in a varint/],
    [
      'fingerprint cut short',
      [V, 0, 0, MODE_FINGERPRINT, ...new Array(10).fill(0)],
      /fingerprint: 16 bytes announced/,
    ],
    [
      'id list of 2^53 ids',
      [V, 0, 0, 2, ...varint(2 ** 53)],
      /id list of 9007199254740992 ids, 0 bytes left/,
    ],
    [
      'id list longer than its bytes',
      [V, 0, 0, 2, ...varint(1000), ...new Array(20).fill(7)],
      /id list of 1000/,
    ],
    [
      'id list cut inside an id',
      [V, 0, 0, 2, 2, ...new Array(30).fill(7)],
      /id list of 2 ids, 30 bytes left/,
    ],
  ];
  for (const [name, message, problem] of cases) {
    it(name, () => expectRejected(message, problem));
  }

  it('another Negentropy version: the responder answers with its own, the initiator gives up', () => {
    expect(new Reconciler(set).respond(Uint8Array.of(0x62))).toEqual(Uint8Array.of(V));
    expect(protocolErrorOf(() => freshInitiator().reconcile(Uint8Array.of(0x62)))).toMatch(
      /wants Negentropy version 2/,
    );
  });
});

describe('bounds, filled past the limit', () => {
  it(`at most ${MAX_RANGES_PER_MESSAGE} ranges in a message`, () => {
    const skips = (n: number): Uint8Array =>
      Uint8Array.from([V, ...new Array<number[]>(n).fill([1, 0, 0]).flat()]);
    expect(new Reconciler(set).respond(skips(MAX_RANGES_PER_MESSAGE))).toEqual(Uint8Array.of(V));
    expect(protocolErrorOf(() => new Reconciler(set).respond(skips(MAX_RANGES_PER_MESSAGE + 1)))).toMatch(
      /more than 4096 ranges/,
    );
  });

  it(`at most frameSizeLimit (${DEFAULT_FRAME_SIZE_LIMIT}) bytes in a message`, () => {
    // 478 Skips, then an id list of 3,000 ids to infinity: exactly 61,440 bytes.
    const message = [V, ...new Array<number[]>(478).fill([1, 0, 0]).flat(), 0, 0, 2, ...varint(3000)];
    const atLimit = new Uint8Array(DEFAULT_FRAME_SIZE_LIMIT);
    atLimit.set(message);
    expect(new Reconciler(set).respond(atLimit).length).toBeGreaterThan(1);
    const overLimit = new Uint8Array(DEFAULT_FRAME_SIZE_LIMIT + 1);
    overLimit.set(message);
    expect(protocolErrorOf(() => new Reconciler(set).respond(overLimit))).toMatch(
      /message of 61441 bytes, the limit is 61440/,
    );
    const small = new Reconciler(set, { frameSizeLimit: 5000 });
    expect(protocolErrorOf(() => small.respond(new Uint8Array(5001).fill(V)))).toMatch(/limit is 5000/);
  });

  it(`at most ${DEFAULT_MAX_ROUNDS} messages in a session`, () => {
    const responder = new Reconciler(set);
    const message = new Reconciler(SyncSet.empty()).initiate();
    for (let i = 0; i < DEFAULT_MAX_ROUNDS; i++) responder.respond(message);
    expect(protocolErrorOf(() => responder.respond(message))).toMatch(/more than 512 messages/);
    const initiator = freshInitiator();
    const few = new Reconciler(set, { maxRounds: 3 });
    few.initiate();
    for (let i = 0; i < 3; i++) few.reconcile(Uint8Array.of(V));
    expect(protocolErrorOf(() => few.reconcile(Uint8Array.of(V)))).toMatch(/more than 3 messages/);
    expect(initiator.rounds).toBe(0);
  });

  it('a reconciler is made only with bounds that let honest peers finish', () => {
    expect(() => new Reconciler(set, { frameSizeLimit: 4095 })).toThrow(RangeError);
    expect(() => new Reconciler(set, { maxRounds: 0 })).toThrow(RangeError);
  });

  it('our answer keeps both bounds where ranges and bytes run out together', () => {
    // One item per ms; the question alternates a Skip over 1 ms and an empty IdList over 2 ms: every
    // pair makes us write a Skip and a two-id list (47 bytes, 2 ranges). Ranges run out after 2,047
    // pairs, at 96,210 bytes; sweeping the frame size across there cuts the last list after one id.
    const times = Float64Array.from({ length: 7000 }, (_, i) => i);
    const dense = SyncSet.fromPacked(times, randomPackedItems(7000).ids);
    const question = [V];
    for (let k = 0; k < MAX_RANGES_PER_MESSAGE / 2; k++) question.push(2, 0, 0, 3, 0, 2, 0);
    for (let limit = 96_100; limit <= 96_600; limit++) {
      const reply = new Reconciler(dense, { frameSizeLimit: limit }).respond(Uint8Array.from(question));
      expect(reply.length).toBeLessThanOrEqual(limit);
      expect(rangesIn(reply)).toBeLessThanOrEqual(MAX_RANGES_PER_MESSAGE);
    }
  });

  it('our answer to any well-formed question keeps both bounds and reads back strictly', () => {
    const times = Float64Array.from({ length: 20_000 }, (_, i) => Math.floor(i / 3)); // 3 items per ms
    const dense = SyncSet.fromPacked(times, randomPackedItems(20_000).ids);
    const range = fc.record({ delta: fc.nat(40), mode: fc.constantFrom(0, 1, 2), ids: fc.nat(3) });
    fc.assert(
      fc.property(
        fc.array(range, { minLength: 1, maxLength: MAX_RANGES_PER_MESSAGE }),
        fc.integer({ min: 4096, max: 200_000 }),
        (ranges, frameSizeLimit) => {
          const question = [V];
          for (const r of ranges) {
            question.push(...varint(1 + r.delta), 0, r.mode);
            if (r.mode === 1) question.push(...new Array<number>(16).fill(r.ids));
            if (r.mode === 2) question.push(r.ids, ...new Array<number>(20 * r.ids).fill(9));
          }
          if (question.length > frameSizeLimit) return;
          const reply = new Reconciler(dense, { frameSizeLimit }).respond(Uint8Array.from(question));
          expect(reply.length).toBeLessThanOrEqual(frameSizeLimit);
          expect(rangesIn(reply)).toBeLessThanOrEqual(MAX_RANGES_PER_MESSAGE);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('our answer keeps the range bound even when the frame would allow more', () => {
    // 300 fingerprints that all mismatch: 16 sub-ranges each would be 4,800 ranges.
    const times = Float64Array.from({ length: 100_000 }, (_, i) => 1000 + i);
    const big = SyncSet.fromPacked(times, randomPackedItems(100_000).ids);
    const message = [V];
    for (let k = 0; k < 300; k++)
      message.push(...varint(k === 0 ? 1 + 1100 : 1 + 100), 0, MODE_FINGERPRINT, ...new Array(16).fill(0));
    const reply = new Reconciler(big, { frameSizeLimit: 1 << 20 }).respond(Uint8Array.from(message));
    expect(rangesIn(reply)).toBeGreaterThan(MAX_RANGES_PER_MESSAGE - 20);
    expect(rangesIn(reply)).toBeLessThanOrEqual(MAX_RANGES_PER_MESSAGE);
    expect(lastBoundIn(reply)).toBe(Infinity); // the rest is asked about with one fingerprint
  });
});

describe('fuzzing', () => {
  const check = (bytes: Uint8Array): void => {
    protocolErrorOf(() => new Reconciler(set, { frameSizeLimit: 4096 }).respond(bytes));
    protocolErrorOf(() => freshInitiator().reconcile(bytes));
  };

  it('random bytes never throw anything but ReconcileProtocolError', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 5000 }), (versioned, bytes) => {
        check(versioned ? Uint8Array.from([V, ...bytes]) : bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('random ranges (any field values) never throw anything but ReconcileProtocolError', () => {
    const range = fc.record({
      time: fc.oneof(fc.nat(3), fc.nat(2000), fc.bigInt({ min: 0n, max: 2n ** 60n })),
      prefix: fc.uint8Array({ maxLength: 22 }),
      prefixLength: fc.option(fc.nat(40)),
      mode: fc.oneof(fc.constantFrom(0, 1, 2), fc.nat(300)),
      count: fc.option(fc.nat(5000)),
      payload: fc.uint8Array({ maxLength: 100 }),
    });
    fc.assert(
      fc.property(fc.array(range, { maxLength: 40 }), (ranges) => {
        const message = [V];
        for (const r of ranges) {
          message.push(...varint(r.time), ...varint(r.prefixLength ?? r.prefix.length), ...r.prefix);
          message.push(...varint(r.mode));
          if (r.mode === 2) message.push(...varint(r.count ?? Math.floor(r.payload.length / 20)));
          message.push(...r.payload);
        }
        check(Uint8Array.from(message));
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated honest messages never throw anything but ReconcileProtocolError', () => {
    const other = setOf(items, (i) => i % 9 !== 0);
    const honest: Uint8Array[] = [];
    const initiator = new Reconciler(other);
    const responder = new Reconciler(set);
    let message: Uint8Array | null = initiator.initiate();
    while (message) {
      honest.push(message);
      const answer = responder.respond(message);
      honest.push(answer);
      message = initiator.reconcile(answer).reply;
    }
    expect(honest.length).toBeGreaterThan(2);
    fc.assert(
      fc.property(
        fc.constantFrom(...honest),
        fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.constantFrom('set', 'cut', 'insert', 'drop')), {
          minLength: 1,
          maxLength: 4,
        }),
        (original, mutations) => {
          let bytes = [...original];
          for (const [at, value, kind] of mutations) {
            const i = at % (bytes.length + 1);
            if (kind === 'set') bytes[i] = value;
            else if (kind === 'cut') bytes = bytes.slice(0, i);
            else if (kind === 'insert') bytes.splice(i, 0, value);
            else bytes.splice(i, 1 + (value % 25));
          }
          check(Uint8Array.from(bytes));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('honest peers at the smallest frame size never trip a bound', () => {
    const a = setOf(items, (i) => i % 3 !== 0);
    const b = setOf(items, (i) => i % 5 !== 0);
    const figures = runSession(a, b, { frameSizeLimit: 4096 });
    expect(figures.largestMessage).toBeLessThanOrEqual(4096);
    expect(figures.have.length + figures.need.length).toBe(
      Array.from({ length: 1000 }, (_, i) => i).filter((i) => (i % 3 === 0) !== (i % 5 === 0)).length,
    );
  });
});

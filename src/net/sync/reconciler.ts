// One side of a range-based set reconciliation session (Negentropy protocol v1, ids of `idSize` bytes).
//
// Specification.
// - The initiator calls `initiate()` once and sends the message; the responder answers every message with
//   `respond(msg)`; the initiator feeds each answer to `reconcile(msg)`, which gives the ids it has and the
//   peer lacks (`have`), the ids the peer has and it lacks (`need`), and the next message, or null when
//   the sets are reconciled. Only the initiator learns the difference.
// - Each id of the difference is reported at least once; one message never reports an id twice, but a
//   later one may report it again after a message was cut for size: the fingerprint that ends a cut
//   message covers everything after the cut, ranges already settled included, and those ids still
//   differ until the caller has fetched them. Callers deduplicate (they must check ids against what
//   they hold and have asked for anyway); the spec and the reference behave the same.
// - A message is a version byte and ranges covering the (time, id) order from (0, empty) upwards; each
//   range is Skip (nothing to do), Fingerprint (16 bytes over the sender's items in it) or IdList (all
//   the sender's ids in it). A range not covered at the end is an implicit Skip.
// - On a Fingerprint that differs from ours, a side splits its items of the range into 16 fingerprinted
//   sub-ranges, or sends their ids when fewer than 32. On an IdList the responder answers with its own ids
//   of the range; the initiator compares and is done with the range.
// - Every message we write fits `frameSizeLimit` bytes and MAX_RANGES_PER_MESSAGE ranges: when the next
//   range would not fit, we stop and end the message with one Fingerprint over everything from there to
//   infinity, so the peer asks again about the rest next round.
// - State between messages: the role and a count of messages received. Nothing else is kept: each
//   message is read against the set as it is then, so the set may grow between rounds (an item added
//   mid-session is reconciled too, or seen as a difference).
// - Bounds on a peer's message, each a ReconcileProtocolError (the caller disconnects the peer): longer
//   than `frameSizeLimit`; more than MAX_RANGES_PER_MESSAGE ranges; more than `maxRounds` messages in the
//   session; a first byte that is not a Negentropy version (a responder answers another Negentropy
//   version with its own version byte, as the spec says; an initiator gives up); and every malformed
//   field (see SyncMessageReader). Work per message is bounded: per range one binary search and at most
//   17 SHA-256; an IdList costs the ids of our range once.
// - Work is counted, not timed: after each call, `lastWork` holds the fingerprints hashed, binary-search
//   steps, ids copied or compared and bytes read and written (src/net/sync/syncWork.ts), which the caller
//   charges to the peer. An empty range's fingerprint is a constant and is not hashed (SyncSet).
import { hexAt } from '../../core/hex.ts';
import { ReconcileProtocolError } from './reconcileProtocolError.ts';
import { INFINITY_BOUND, type SyncBound, ZERO_BOUND } from './syncBound.ts';
import { SyncMessageReader } from './syncMessageReader.ts';
import { SyncMessageWriter } from './syncMessageWriter.ts';
import {
  BUCKETS,
  DEFAULT_FRAME_SIZE_LIMIT,
  DEFAULT_MAX_ROUNDS,
  FINGERPRINT_BYTES,
  ID_LIST_THRESHOLD,
  MAX_RANGES_PER_MESSAGE,
  MAX_VARINT_BYTES,
  MAX_VERSION_BYTE,
  MIN_FRAME_SIZE_LIMIT,
  MIN_VERSION_BYTE,
  MODE_FINGERPRINT,
  MODE_ID_LIST,
  MODE_SKIP,
  PROTOCOL_VERSION,
} from './syncProtocol.ts';
import type { SyncSet } from './syncSet.ts';
import { noWork, type SyncWork } from './syncWork.ts';

export interface ReconcilerOptions {
  /** Largest message both ways, in bytes (at least MIN_FRAME_SIZE_LIMIT). */
  readonly frameSizeLimit?: number;
  /** Messages accepted from the peer in this session. */
  readonly maxRounds?: number;
  /**
   * For an initiator that wants only `need`: whether this side holds an id (lowercase hex). Given, a
   * peer's id list is checked id by id with it, and `have` stays empty; else the list is compared with
   * every item of ours in its range, which costs ~1–2 µs an item (a whole set when the peer holds
   * nothing there), however short the peer's list.
   */
  readonly holds?: (id: string) => boolean;
}

export interface ReconcileResult {
  /** The next message to send, or null: reconciliation is complete. */
  readonly reply: Uint8Array | null;
  /** Ids (lowercase hex) we hold and the peer lacks, found in this message (maybe found before). */
  readonly have: string[];
  /**
   * Ids (lowercase hex) the peer holds and we lack, found in this message (maybe found before). Peer
   * input: a hostile peer can list ids that do not exist, so treat them as announcements.
   */
  readonly need: string[];
}

export class Reconciler {
  readonly #set: SyncSet;
  readonly #frameSizeLimit: number;
  readonly #maxRounds: number;
  readonly #holds: ((id: string) => boolean) | undefined;
  /** Longest bound we may write: time varint, prefix length, prefix. */
  readonly #maxBoundBytes: number;
  /** Kept free in every message: a pending Skip and the closing Fingerprint to infinity. */
  readonly #reserve: number;
  #role: 'initiator' | 'responder' | undefined;
  #rounds = 0;
  #work: SyncWork = noWork();

  constructor(set: SyncSet, options: ReconcilerOptions = {}) {
    const frameSizeLimit = options.frameSizeLimit ?? DEFAULT_FRAME_SIZE_LIMIT;
    if (!Number.isInteger(frameSizeLimit) || frameSizeLimit < MIN_FRAME_SIZE_LIMIT) {
      throw new RangeError(
        `frameSizeLimit must be an integer ≥ ${MIN_FRAME_SIZE_LIMIT}, got ${frameSizeLimit}`,
      );
    }
    const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
    if (!Number.isInteger(maxRounds) || maxRounds < 1)
      throw new RangeError(`maxRounds must be ≥ 1, got ${maxRounds}`);
    this.#set = set;
    this.#frameSizeLimit = frameSizeLimit;
    this.#maxRounds = maxRounds;
    this.#holds = options.holds;
    this.#maxBoundBytes = MAX_VARINT_BYTES + 1 + set.idSize;
    this.#reserve = this.#maxBoundBytes + 1 + (2 + 1 + FINGERPRINT_BYTES);
  }

  /** Messages received from the peer so far. */
  get rounds(): number {
    return this.#rounds;
  }

  /** What the last call (initiate, reconcile, respond) cost, counted (src/net/sync/syncWork.ts). */
  get lastWork(): Readonly<SyncWork> {
    return this.#work;
  }

  /** The initiator's first message: its whole set, split. */
  initiate(): Uint8Array {
    if (this.#role !== undefined)
      throw new Error('a Reconciler initiates once, and only if it has not responded');
    this.#role = 'initiator';
    this.#work = noWork();
    const out = new SyncMessageWriter();
    out.byte(PROTOCOL_VERSION);
    this.#split(out, 0, this.#set.size, INFINITY_BOUND);
    const message = out.finish();
    this.#work.bytes += message.length;
    return message;
  }

  /** The initiator's handling of the responder's message. */
  reconcile(message: Uint8Array): ReconcileResult {
    if (this.#role !== 'initiator') throw new Error('reconcile() is for the initiator, after initiate()');
    return this.#process(message, true);
  }

  /** The responder's answer to the initiator's message. */
  respond(message: Uint8Array): Uint8Array {
    if (this.#role === 'initiator') throw new Error('respond() is for the responder');
    this.#role = 'responder';
    return this.#process(message, false).reply as Uint8Array;
  }

  #process(message: Uint8Array, initiator: boolean): ReconcileResult {
    const work = (this.#work = noWork());
    work.bytes += message.length;
    if (message.length > this.#frameSizeLimit) {
      throw new ReconcileProtocolError(
        `message of ${message.length} bytes, the limit is ${this.#frameSizeLimit}`,
      );
    }
    if (++this.#rounds > this.#maxRounds) {
      throw new ReconcileProtocolError(`more than ${this.#maxRounds} messages in one reconciliation`);
    }
    const set = this.#set;
    const idSize = set.idSize;
    const input = new SyncMessageReader(message, idSize);
    const out = new SyncMessageWriter();
    out.byte(PROTOCOL_VERSION);
    const have: string[] = [];
    const need: string[] = [];

    const version = input.byte();
    if (version !== PROTOCOL_VERSION) {
      if (version < MIN_VERSION_BYTE || version > MAX_VERSION_BYTE) {
        throw new ReconcileProtocolError(`not a Negentropy message: first byte 0x${version.toString(16)}`);
      }
      if (initiator) throw new ReconcileProtocolError(`the peer wants Negentropy version ${version - 0x60}`);
      return { reply: out.finish(), have, need };
    }

    let prevBound: SyncBound = ZERO_BOUND;
    let prevIndex = 0;
    /** Ranges since the last one written matched: a Skip up to prevBound is owed before the next range. */
    let skip = false;
    const flushSkip = (): void => {
      if (skip) out.range(prevBound, MODE_SKIP);
      skip = false;
    };
    /** Ends the message: the owed Skip, then one Fingerprint over items [from, size) up to infinity. */
    const closeFrom = (from: number): void => {
      flushSkip();
      out.range(INFINITY_BOUND, MODE_FINGERPRINT);
      out.bytes(this.#fingerprint(from, set.size));
    };
    const full = (): boolean =>
      out.length > this.#frameSizeLimit - this.#reserve || out.ranges > MAX_RANGES_PER_MESSAGE - 2;

    let ranges = 0;
    while (input.remaining > 0) {
      if (++ranges > MAX_RANGES_PER_MESSAGE) {
        throw new ReconcileProtocolError(`more than ${MAX_RANGES_PER_MESSAGE} ranges in one message`);
      }
      const bound = input.bound();
      const mode = input.varint('mode');
      const lower = prevIndex;
      const upper = set.lowerBound(lower, bound);
      work.searchSteps += searchSteps(set.size - lower);
      const mark = out.mark();
      const skipAtMark = skip;

      if (mode === MODE_SKIP) {
        skip = true;
      } else if (mode === MODE_FINGERPRINT) {
        const theirs = input.bytes(FINGERPRINT_BYTES, 'fingerprint');
        if (equalBytes(theirs, this.#fingerprint(lower, upper))) {
          skip = true;
        } else {
          flushSkip();
          this.#split(out, lower, upper, bound);
        }
      } else if (mode === MODE_ID_LIST) {
        const count = input.varint('id count');
        if (count > Math.floor(input.remaining / idSize)) {
          throw new ReconcileProtocolError(`id list of ${count} ids, ${input.remaining} bytes left`);
        }
        if (initiator && this.#holds) {
          for (let i = 0; i < count; i++) {
            const id = hexAt(input.bytes(idSize, 'id'), 0, idSize);
            if (!this.#holds(id)) need.push(id);
          }
          work.lookups += count;
          skip = true;
        } else if (initiator) {
          const theirs = new Set<string>();
          for (let i = 0; i < count; i++) theirs.add(hexAt(input.bytes(idSize, 'id'), 0, idSize));
          for (let i = lower; i < upper; i++) {
            const id = set.hexIdAt(i);
            if (!theirs.delete(id)) have.push(id);
          }
          for (const id of theirs) need.push(id);
          work.lookups += count + (upper - lower);
          skip = true;
        } else {
          input.bytes(count * idSize, 'id list');
          // Room for the owed Skip and this range's header, so that a list that fits never trips full();
          // a list cut short needs two more ranges (itself and the closing fingerprint) after the Skip.
          const owed = skip ? this.#maxBoundBytes + 1 : 0;
          const header = this.#maxBoundBytes + 1 + MAX_VARINT_BYTES;
          const room = this.#frameSizeLimit - this.#reserve - out.length - owed - header;
          const rangesLeft = MAX_RANGES_PER_MESSAGE - out.ranges - (skip ? 1 : 0);
          const fit = rangesLeft >= 2 ? Math.max(0, Math.floor(room / idSize)) : 0;
          if (upper - lower <= fit) {
            flushSkip();
            this.#writeIdList(out, bound, lower, upper);
          } else {
            // Send what fits, then ask about the rest with a fingerprint.
            const end = lower + fit;
            if (end > lower) {
              flushSkip();
              this.#writeIdList(out, set.boundBefore(end), lower, end);
            }
            closeFrom(end);
            break;
          }
        }
      } else {
        throw new ReconcileProtocolError(`unknown range mode ${mode}`);
      }

      if (full()) {
        out.rollback(mark);
        skip = skipAtMark;
        closeFrom(lower);
        break;
      }
      prevIndex = upper;
      prevBound = bound;
    }

    const reply = initiator && out.length === 1 ? null : out.finish();
    if (reply) work.bytes += reply.length;
    return { reply, have, need };
  }

  /** Describes items [lower, upper) up to `upperBound`: 16 fingerprints, or the ids when fewer than 32. */
  #split(out: SyncMessageWriter, lower: number, upper: number, upperBound: SyncBound): void {
    const set = this.#set;
    const count = upper - lower;
    if (count < ID_LIST_THRESHOLD) {
      this.#writeIdList(out, upperBound, lower, upper);
      return;
    }
    const perBucket = Math.floor(count / BUCKETS);
    const withExtra = count % BUCKETS;
    let from = lower;
    for (let b = 0; b < BUCKETS; b++) {
      const to = from + perBucket + (b < withExtra ? 1 : 0);
      out.range(to === upper ? upperBound : set.boundBefore(to), MODE_FINGERPRINT);
      out.bytes(this.#fingerprint(from, to));
      from = to;
    }
  }

  #writeIdList(out: SyncMessageWriter, bound: SyncBound, lower: number, upper: number): void {
    const idSize = this.#set.idSize;
    out.range(bound, MODE_ID_LIST);
    out.varint(upper - lower);
    const { buffer, offset } = out.claim((upper - lower) * idSize);
    for (let i = lower; i < upper; i++) this.#set.copyIdAt(i, buffer, offset + (i - lower) * idSize);
    out.advance((upper - lower) * idSize);
    this.#work.ids += upper - lower;
  }

  /** The set's fingerprint of [lo, hi), counted: an empty range's is a constant, not hashed. */
  #fingerprint(lo: number, hi: number): Uint8Array {
    if (hi > lo) this.#work.hashes++;
    return this.#set.fingerprint(lo, hi);
  }
}

/** Steps of a binary search over `n` items. */
function searchSteps(n: number): number {
  return Math.ceil(Math.log2(n + 1));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Reads a reconciliation message from a peer, checking every field before it is used: varints (at most
// 8 bytes, minimal, ≤ 2^53), bounds (time ≤ 2^53 − 1, prefix ≤ idSize bytes, never decreasing, nothing
// after the infinity bound), and lengths against the bytes actually left, before anything is allocated.
// Any violation throws ReconcileProtocolError, and nothing else is thrown on any input.
import { ReconcileProtocolError } from './reconcileProtocolError.ts';
import { comparePrefixes, INFINITY_BOUND, type SyncBound } from './syncBound.ts';
import { MAX_TIME, MAX_VARINT_BYTES, MAX_VARINT_VALUE } from './syncProtocol.ts';

export class SyncMessageReader {
  readonly #bytes: Uint8Array;
  readonly #idSize: number;
  #offset = 0;
  /** The previous bound of this message; timestamps are offsets from its time (spec "Bound"). */
  #last: SyncBound = { time: 0, prefix: new Uint8Array(0) };

  constructor(bytes: Uint8Array, idSize: number) {
    this.#bytes = bytes;
    this.#idSize = idSize;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  byte(): number {
    if (this.#offset >= this.#bytes.length) throw new ReconcileProtocolError('message ends early');
    return this.#bytes[this.#offset++] as number;
  }

  /** A view of the next `n` bytes (no copy). */
  bytes(n: number, what: string): Uint8Array {
    if (n > this.remaining) {
      throw new ReconcileProtocolError(
        `${what}: ${n} bytes announced, ${this.remaining} left in the message`,
      );
    }
    const view = this.#bytes.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return view;
  }

  varint(what: string): number {
    let value = 0;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.#offset >= this.#bytes.length)
        throw new ReconcileProtocolError(`${what}: message ends in a varint`);
      const b = this.#bytes[this.#offset++] as number;
      if (i === 0 && b === 0x80)
        throw new ReconcileProtocolError(`${what}: varint with a leading zero digit`);
      value = value * 128 + (b & 0x7f);
      if (value > MAX_VARINT_VALUE) throw new ReconcileProtocolError(`${what}: varint over 2^53`);
      if (b < 0x80) return value;
    }
    throw new ReconcileProtocolError(`${what}: varint longer than ${MAX_VARINT_BYTES} bytes`);
  }

  /** The next range's upper bound: never below the previous one, nothing after infinity. */
  bound(): SyncBound {
    const last = this.#last;
    if (last.time === Infinity)
      throw new ReconcileProtocolError('a range after the one that ends at infinity');
    const encoded = this.varint('bound time');
    let time = Infinity;
    if (encoded !== 0) {
      time = last.time + (encoded - 1);
      if (time > MAX_TIME) throw new ReconcileProtocolError(`bound time ${time} is over 2^53 − 1`);
    }
    const length = this.varint('bound prefix length');
    if (length > this.#idSize) {
      throw new ReconcileProtocolError(`bound prefix of ${length} bytes, ids have ${this.#idSize}`);
    }
    if (time === Infinity && length !== 0)
      throw new ReconcileProtocolError('the infinity bound has an id prefix');
    const prefix = this.bytes(length, 'bound prefix');
    if (time === Infinity) {
      this.#last = INFINITY_BOUND;
      return INFINITY_BOUND;
    }
    if (time === last.time && comparePrefixes(prefix, last.prefix) < 0) {
      throw new ReconcileProtocolError('bounds decrease');
    }
    this.#last = { time, prefix };
    return this.#last;
  }
}

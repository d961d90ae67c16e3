// Writes a reconciliation message into a buffer that grows as needed, with the bound encoding of the
// spec (time as 1 + offset from the previous bound's time, 0 for infinity; id prefix with its length).
// A mark taken before a range lets the reconciler take the range back when it would overflow the frame.
import type { SyncBound } from './syncBound.ts';
import { writeVarint } from './varint.ts';

export interface WriterMark {
  readonly length: number;
  readonly lastTime: number;
  readonly ranges: number;
}

export class SyncMessageWriter {
  #buffer = new Uint8Array(4096);
  #length = 0;
  #lastTime = 0;
  #ranges = 0;

  get length(): number {
    return this.#length;
  }

  /** Ranges written so far. */
  get ranges(): number {
    return this.#ranges;
  }

  byte(b: number): void {
    this.#reserve(1);
    this.#buffer[this.#length++] = b;
  }

  bytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  varint(n: number): void {
    this.#reserve(8);
    this.#length = writeVarint(this.#buffer, this.#length, n);
  }

  /** Room for `n` more bytes, returned as the buffer and the offset to write at; then call `advance`. */
  claim(n: number): { buffer: Uint8Array; offset: number } {
    this.#reserve(n);
    return { buffer: this.#buffer, offset: this.#length };
  }

  advance(n: number): void {
    this.#length += n;
  }

  /** Starts a range: writes its upper bound and its mode. */
  range(bound: SyncBound, mode: number): void {
    if (bound.time === Infinity) {
      this.varint(0);
    } else {
      if (bound.time < this.#lastTime) throw new RangeError('bounds must not decrease');
      this.varint(1 + bound.time - this.#lastTime);
    }
    this.#lastTime = bound.time;
    this.varint(bound.prefix.length);
    this.bytes(bound.prefix);
    this.varint(mode);
    this.#ranges++;
  }

  mark(): WriterMark {
    return { length: this.#length, lastTime: this.#lastTime, ranges: this.#ranges };
  }

  rollback(mark: WriterMark): void {
    this.#length = mark.length;
    this.#lastTime = mark.lastTime;
    this.#ranges = mark.ranges;
  }

  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }

  #reserve(n: number): void {
    if (this.#length + n <= this.#buffer.length) return;
    const next = new Uint8Array(Math.max(this.#buffer.length * 2, this.#length + n));
    next.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = next;
  }
}

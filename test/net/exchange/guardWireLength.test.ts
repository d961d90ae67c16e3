// The wire length guard on real bittorrent-protocol Wires (the class webtorrent uses), piped to each
// other in this process: a prefix over the bound ends the wire before its payload is buffered; legal
// messages up to the bound pass. An unguarded pair shows what the guard prevents. The same class in
// webtorrent's browser bundle is checked for the members the guard hooks.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Wire from 'bittorrent-protocol';
import { describe, expect, it, vi } from 'vitest';
import {
  guardWireLength,
  MAX_WIRE_MESSAGE_BYTES,
  WireGuardUnsupportedError,
} from '../../../src/net/exchange/guardWireLength.ts';
import { EXTENSION_NAME, MAX_FRAME_BYTES } from '../../../src/net/txWireProtocol.ts';

const INFO_HASH = '11'.repeat(20);

interface Pair {
  /** The sender (a peer, honest or not). */
  readonly a: Wire;
  /** The receiver, guarded unless asked otherwise. */
  readonly b: Wire;
  /** What the guard reported on b. */
  readonly problems: string[];
  /** Sizes of the `ut_ttx` messages b received, in order. */
  readonly ttxReceived: number[];
  /** Resolves when b's wire has closed. */
  readonly bClosed: Promise<void>;
}

/** Two Wires piped together; both speak `ut_ttx`; b is guarded from its 'handshake' event, as webtorrent does. */
async function wirePair(guard = true): Promise<Pair> {
  const a = new Wire();
  const b = new Wire();
  const problems: string[] = [];
  const ttxReceived: number[] = [];
  class Ttx {
    constructor(private readonly wire: Wire) {}
    onMessage(payload: Uint8Array): void {
      if (this.wire === b) ttxReceived.push(payload.length);
    }
  }
  Object.defineProperty(Ttx.prototype, 'name', { value: EXTENSION_NAME });
  a.use(Ttx);
  b.use(Ttx);
  const bClosed = new Promise<void>((resolve) => b.once('close', () => resolve()));
  b.once('handshake', () => {
    if (guard) guardWireLength(b, (problem) => problems.push(problem));
    b.handshake(INFO_HASH, '22'.repeat(20));
  });
  const extended = new Promise<void>((resolve) => a.once('extended', () => resolve()));
  a.pipe(b).pipe(a);
  a.handshake(INFO_HASH, '33'.repeat(20));
  await extended; // a has b's extended handshake: `ut_ttx` is mapped both ways
  return { a, b, problems, ttxReceived, bClosed };
}

/** A BitTorrent message: 4-byte big-endian length prefix, then the body. */
function message(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

function prefix(length: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, length);
  return out;
}

/** An extended message (id 20) for an extension id nobody registered: parsed, then ignored. */
function unknownExtended(length: number): Uint8Array {
  const body = new Uint8Array(length);
  body[0] = 20;
  body[1] = 200;
  return message(body);
}

/** Sends a small `ut_ttx` frame and waits until b has parsed it, so everything sent before was parsed. */
async function flush(pair: Pair): Promise<void> {
  const markers = () => pair.ttxReceived.filter((size) => size === 1).length;
  const sent = (markersSent.get(pair) ?? 0) + 1;
  markersSent.set(pair, sent);
  pair.a.extended(EXTENSION_NAME, new Uint8Array([0x01]));
  await vi.waitFor(() => expect(markers()).toBe(sent), { timeout: 5000 });
}
const markersSent = new WeakMap<Pair, number>();

describe('MAX_WIRE_MESSAGE_BYTES', () => {
  it('admits a 16 KiB piece message, a ut_metadata block and our largest frame, and not much more', () => {
    expect(MAX_WIRE_MESSAGE_BYTES).toBeGreaterThanOrEqual(1 + 8 + 16 * 1024);
    expect(MAX_WIRE_MESSAGE_BYTES).toBeGreaterThanOrEqual(2 + 60 + 16 * 1024);
    expect(MAX_WIRE_MESSAGE_BYTES).toBeGreaterThanOrEqual(2 + MAX_FRAME_BYTES);
    expect(MAX_WIRE_MESSAGE_BYTES).toBeLessThan(17 * 1024);
  });
});

describe('guardWireLength on a real Wire pair', () => {
  it('ends the wire on a 2^31 − 1 prefix before any payload is buffered, and reports once', async () => {
    const pair = await wirePair();
    pair.a._push(prefix(2 ** 31 - 1));
    await pair.bClosed;
    expect(pair.problems).toEqual([
      `announced a wire message of ${2 ** 31 - 1} bytes (at most ${MAX_WIRE_MESSAGE_BYTES})`,
    ]);
    // Payload that was already on its way is discarded, not buffered.
    for (let i = 0; i < 64; i++) pair.a._push(new Uint8Array(64 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pair.b._bufferSize).toBe(0);
    expect(pair.problems).toHaveLength(1);
  });

  it('without the guard the same attack is buffered whole (what the guard prevents)', async () => {
    const pair = await wirePair(false);
    pair.a._push(prefix(2 ** 31 - 1));
    for (let i = 0; i < 16; i++) pair.a._push(new Uint8Array(64 * 1024));
    await vi.waitFor(() => expect(pair.b._bufferSize).toBe(16 * 64 * 1024), { timeout: 5000 });
    expect(pair.b.destroyed).toBe(false);
    pair.a.destroy();
    pair.b.destroy();
  });

  it('catches a prefix of 2^31 and up, which the Wire itself reads as a negative length (a keep-alive)', async () => {
    const pair = await wirePair();
    pair.a._push(prefix(2 ** 32 - 1));
    await pair.bClosed;
    expect(pair.problems[0]).toMatch(/4294967295 bytes/);
  });

  it('lets a message of exactly the bound through, and ends the wire at one byte more', async () => {
    const pair = await wirePair();
    pair.a._push(unknownExtended(MAX_WIRE_MESSAGE_BYTES));
    await flush(pair);
    expect(pair.b.destroyed).toBe(false);
    pair.a._push(unknownExtended(MAX_WIRE_MESSAGE_BYTES + 1));
    await pair.bClosed;
    expect(pair.problems[0]).toMatch(new RegExp(`${MAX_WIRE_MESSAGE_BYTES + 1} bytes`));
  });

  it('never ends an honest wire sending legal maximal messages', async () => {
    const pair = await wirePair();
    for (let round = 0; round < 20; round++) {
      pair.a.piece(0, 0, new Uint8Array(16 * 1024)); // a full block
      pair.a.extended(EXTENSION_NAME, new Uint8Array(MAX_FRAME_BYTES)); // our largest frame
      pair.a.keepAlive();
    }
    await flush(pair);
    expect(pair.ttxReceived.filter((size) => size === MAX_FRAME_BYTES)).toHaveLength(20);
    expect(pair.problems).toEqual([]);
    expect(pair.b.destroyed).toBe(false);
    pair.a.destroy();
    pair.b.destroy();
  });

  it('installed after a huge prefix was read, ends the wire at once', async () => {
    const pair = await wirePair(false);
    pair.a._push(prefix(2 ** 31 - 1));
    pair.a._push(new Uint8Array(1000));
    await vi.waitFor(() => expect(pair.b._bufferSize).toBe(1000), { timeout: 5000 });
    guardWireLength(pair.b, (problem) => pair.problems.push(problem));
    await pair.bClosed;
    expect(pair.b._bufferSize).toBe(0);
    expect(pair.problems).toHaveLength(1);
  });

  it('installed twice, checks once; on something that is not a Wire, throws a named error', async () => {
    const pair = await wirePair();
    guardWireLength(pair.b, (problem) => pair.problems.push(`second: ${problem}`));
    pair.a._push(prefix(MAX_WIRE_MESSAGE_BYTES + 1));
    await pair.bClosed;
    expect(pair.problems).toHaveLength(1);
    expect(() => guardWireLength({ destroy() {} }, () => {})).toThrow(
      expect.objectContaining({ name: 'WireGuardUnsupportedError' }) as Error,
    );
    expect(new WireGuardUnsupportedError('x').name).toBe('WireGuardUnsupportedError');
  });
});

describe("webtorrent's browser bundle", () => {
  it('has the same Wire parse path the guard hooks (property names kept by the minifier)', () => {
    const bundle = readFileSync(
      createRequire(import.meta.url).resolve('webtorrent/dist/webtorrent.min.js'),
      'utf8',
    );
    // After the handshake and after every message the Wire asks `this._onMessageLength` for the next
    // prefix; `_parse` only records size and parser; the length becomes a buffering size in one place.
    expect(bundle).toMatch(/_parse\((\w),(\w)\)\{this\._parserSize=\1,this\._parser=\2\}/);
    expect(bundle).toMatch(
      /_onMessageLength\((\w)\)\{const (\w)=\w+\(\1\);\2>0\?this\._parse\(\2,this\._onMessage\)/,
    );
    expect(bundle).toMatch(/_onMessage\(\w\)\{switch\(this\._parse\(4,this\._onMessageLength\)/);
    expect(bundle).toMatch(/this\._parser\(\w\.subarray\(0,this\._parserSize\)\)/);
    expect(bundle.match(/this\._parse\(4,this\._onMessageLength\)/g)?.length).toBe(3);
  });
});

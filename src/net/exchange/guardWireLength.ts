// Checks every BitTorrent message's 4-byte length prefix before its payload is buffered, and destroys
// the wire at once when a peer announces a message longer than any legal one (BEP 3 framing).
//
// Why: bittorrent-protocol's Wire (5.0.x, the version webtorrent 3 installs and bundles) reads the
// prefix in `_onMessageLength`, then calls `_parse(length, _onMessage)` and buffers until `length` bytes
// have arrived, concatenating every chunk into one buffer as it goes (`_write`). Nothing bounds
// `length`, so a peer announcing 2^31 − 1 bytes and streaming data makes the victim copy hundreds of MB
// before any extension (our `ut_ttx` frame check included) sees a byte of it.
//
// Where: `_onMessageLength` is the one place the Wire turns a prefix into a buffering size. The Wire
// always calls it through `this` (`_parse(4, this._onMessageLength)` after the handshake and after each
// message), so an own property on the wire instance replaces it for that wire only: no prototype is
// patched, and the same hook works for the Node package and for webtorrent's browser bundle
// (webtorrent/dist/webtorrent.min.js keeps the property names `_onMessageLength`, `_parse`, `_parser`,
// `_parserSize`, `_onMessage`; see test/net/exchange/guardWireLength.test.ts). webtorrent emits a
// torrent's 'wire' event from inside the handshake handler, before the Wire asks for the first prefix,
// so a guard installed there sees every message after the handshake. The handshake itself is bounded by
// the Wire (1 + 19 + 48 bytes).
import { MAX_FRAME_BYTES } from '../txWireProtocol.ts';

/** A BitTorrent block: the most data a piece message (BEP 3) or a ut_metadata piece (BEP 9) carries. */
const BLOCK_BYTES = 16 * 1024;
/** piece: message id, index, begin, block (BEP 3). With the 4-byte prefix: 16 KiB + 13 bytes. */
const PIECE_MESSAGE_BYTES = 1 + 4 + 4 + BLOCK_BYTES;
/** Bencoded ut_metadata header (`d8:msg_typei1e5:piecei…e10:total_sizei…ee`, < 60 bytes), with room. */
const METADATA_HEADER_BYTES = 128;
/** ut_metadata data: message id 20, extension id, header, one block (BEP 9). */
const METADATA_MESSAGE_BYTES = 1 + 1 + METADATA_HEADER_BYTES + BLOCK_BYTES;
/**
 * The extended handshake (BEP 10) is a small bencoded dict (webtorrent's is ~150 bytes, libtorrent's a
 * few hundred); 16 KiB is far above any honest one.
 */
const EXTENDED_HANDSHAKE_BYTES = 1 + 1 + 16 * 1024;
/** Our `ut_ttx` frame inside a BEP 10 extended message: message id 20, extension id, frame. */
const TTX_MESSAGE_BYTES = 1 + 1 + MAX_FRAME_BYTES;

/**
 * The longest message (the value of the length prefix, without the prefix's own 4 bytes) a TorrentTX
 * node accepts on any wire: the largest of the legal messages above. Every torrent this node joins is a
 * transaction torrent of one piece (at most 1024 bytes), so bitfield (2 bytes), have, request and ut_pex
 * (at most 50 + 50 peers, BEP 11) messages are far shorter.
 */
export const MAX_WIRE_MESSAGE_BYTES = Math.max(
  PIECE_MESSAGE_BYTES,
  METADATA_MESSAGE_BYTES,
  EXTENDED_HANDSHAKE_BYTES,
  TTX_MESSAGE_BYTES,
);

/** The private parser state of a bittorrent-protocol 5.x Wire that the guard reads and replaces. */
interface ParsingWire {
  _onMessageLength(this: ParsingWire, header: Uint8Array): void;
  _onMessage(this: ParsingWire, message: Uint8Array): void;
  _parse(size: number, parser: (buffer: Uint8Array) => void): void;
  _parser: ((buffer: Uint8Array) => void) | null;
  _parserSize: number;
  _buffer: Uint8Array[];
  _bufferSize: number;
  _write(data: Uint8Array, cb: (err: Error | null) => void): void;
  destroy(): void;
}

/** The wire is not a bittorrent-protocol 5.x Wire (a programmer error: the dependency changed). */
export class WireGuardUnsupportedError extends Error {
  override readonly name = 'WireGuardUnsupportedError';
}

const guarded = new WeakSet<object>();

/** Reads a big-endian unsigned 32-bit length (the Wire's own reader is signed: 2^31 and up read < 0). */
function readLength(header: Uint8Array): number {
  return ((header[0]! << 24) | (header[1]! << 16) | (header[2]! << 8) | header[3]!) >>> 0;
}

/**
 * Installs the guard on `wire` (idempotent). When the peer announces a message longer than `max`, the
 * wire stops parsing, `onViolation(problem)` is called once, and the wire is destroyed: the payload is
 * never buffered. Install it from the torrent's 'wire' event.
 */
export function guardWireLength(
  wire: object,
  onViolation: (problem: string) => void,
  max: number = MAX_WIRE_MESSAGE_BYTES,
): void {
  if (guarded.has(wire)) return;
  const parsing = wire as ParsingWire;
  if (
    typeof parsing._onMessageLength !== 'function' ||
    typeof parsing._onMessage !== 'function' ||
    typeof parsing._parse !== 'function' ||
    typeof parsing._write !== 'function' ||
    typeof parsing._parserSize !== 'number' ||
    !Array.isArray(parsing._buffer)
  ) {
    throw new WireGuardUnsupportedError(
      'guardWireLength needs a bittorrent-protocol 5.x Wire (_onMessageLength, _onMessage, _parse, _write, _buffer)',
    );
  }
  guarded.add(wire);
  const original = parsing._onMessageLength;
  let tripped = false;
  const trip = (length: number): void => {
    if (tripped) return;
    tripped = true;
    // Stop the parse loop now (as the Wire does when it finishes): bytes already buffered behind the
    // prefix must not be read as further messages. Drop them, and discard whatever else arrives before
    // the connection closes (`destroy` only ends the Wire, and `_write` re-copies its buffer per chunk).
    parsing._parse(Number.MAX_VALUE, () => {});
    parsing._buffer = [];
    parsing._bufferSize = 0;
    parsing._write = (_data, cb) => cb(null);
    onViolation(`announced a wire message of ${length} bytes (at most ${max})`);
    parsing.destroy();
  };
  const checked = function (this: ParsingWire, header: Uint8Array): void {
    const length = readLength(header);
    if (length > max) return trip(length);
    original.call(this, header);
  };
  parsing._onMessageLength = checked;
  // Installed later than the handshake (an incoming TCP peer's 'wire' event waits on a promise): take
  // over a parser already waiting for a prefix, and judge a message already being buffered.
  if (parsing._parser === original) parsing._parser = checked;
  else if (parsing._parser === parsing._onMessage && parsing._parserSize > max) trip(parsing._parserSize);
}

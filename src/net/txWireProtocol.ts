// Frames of the `ut_ttx` BitTorrent extension (BEP 10) that carries transactions between nodes in the
// network swarm. Binary and bounded: a frame is one type byte and a payload.
//   HAVE  0x01  n × 20-byte ids      "I hold these accepted transactions" (inventory on connect)
//   WANT  0x02  n × 20-byte ids      "send me these" (unknown ids from HAVE, or an orphan's parent)
//   TX    0x03  20-byte id ‖ tx.json the bytes of one transaction and the id the sender claims for them
// Decoding never throws: anything out of shape is a `bad` frame and the peer that sent it is dropped.
import { bytesToHex, hexToBytes } from '../core/hex.ts';
import { MAX_TX_BYTES } from '../core/tx.ts';

export const EXTENSION_NAME = 'ut_ttx';
export const WIRE_VERSION = 1;
/** Ids per HAVE or WANT frame: 500 × 20 bytes keeps every frame under MAX_FRAME_BYTES. */
export const MAX_IDS_PER_FRAME = 500;
export const MAX_FRAME_BYTES = Math.max(1 + 20 + MAX_TX_BYTES, 1 + 20 * MAX_IDS_PER_FRAME);

const HAVE = 0x01;
const WANT = 0x02;
const TX = 0x03;

export type Frame =
  | { type: 'have'; ids: string[] }
  | { type: 'want'; ids: string[] }
  | { type: 'tx'; id: string; bytes: Uint8Array }
  | { type: 'bad'; problem: string };

function encodeIds(type: number, ids: readonly string[]): Uint8Array {
  if (ids.length > MAX_IDS_PER_FRAME) throw new RangeError(`at most ${MAX_IDS_PER_FRAME} ids per frame`);
  const out = new Uint8Array(1 + 20 * ids.length);
  out[0] = type;
  ids.forEach((id, i) => out.set(hexToBytes(id), 1 + 20 * i));
  return out;
}

export function encodeHave(ids: readonly string[]): Uint8Array {
  return encodeIds(HAVE, ids);
}

export function encodeWant(ids: readonly string[]): Uint8Array {
  return encodeIds(WANT, ids);
}

export function encodeTxFrame(id: string, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(21 + bytes.length);
  out[0] = TX;
  out.set(hexToBytes(id), 1);
  out.set(bytes, 21);
  return out;
}

/** Splits ids into frames of at most MAX_IDS_PER_FRAME. */
export function chunkIds(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_FRAME) chunks.push(ids.slice(i, i + MAX_IDS_PER_FRAME));
  return chunks;
}

function decodeIds(payload: Uint8Array): string[] | undefined {
  if (payload.length === 0 || payload.length % 20 !== 0 || payload.length / 20 > MAX_IDS_PER_FRAME) {
    return undefined;
  }
  const ids: string[] = [];
  for (let at = 0; at < payload.length; at += 20) ids.push(bytesToHex(payload.subarray(at, at + 20)));
  return ids;
}

export function decodeFrame(frame: Uint8Array): Frame {
  if (frame.length > MAX_FRAME_BYTES) return { type: 'bad', problem: `frame of ${frame.length} bytes` };
  if (frame.length < 1) return { type: 'bad', problem: 'empty frame' };
  const payload = frame.subarray(1);
  switch (frame[0]) {
    case HAVE:
    case WANT: {
      const ids = decodeIds(payload);
      if (!ids) return { type: 'bad', problem: `id list of ${payload.length} bytes` };
      return { type: frame[0] === HAVE ? 'have' : 'want', ids };
    }
    case TX:
      if (payload.length < 21 || payload.length > 20 + MAX_TX_BYTES) {
        return { type: 'bad', problem: `tx frame of ${frame.length} bytes` };
      }
      // Copy: the wire may reuse its buffer, and these bytes go on to storage.
      return { type: 'tx', id: bytesToHex(payload.subarray(0, 20)), bytes: payload.slice(20) };
    default:
      return { type: 'bad', problem: `unknown frame type ${frame[0]}` };
  }
}

// Frames of the `ut_ttx` BitTorrent extension (BEP 10) that carries transactions between nodes in the
// network swarm, version 2. Binary and bounded: a frame is one type byte and a payload.
//   HAVE      0x01  n × 20-byte ids       "I accepted these" (relay of fresh transactions)
//   WANT      0x02  n × 20-byte ids       "send me these" (paced by the asker: src/net/txGossip.ts)
//   TX        0x03  20-byte id ‖ tx.json  one transaction and the id the sender claims for it
//   SYNC      0x04  reconciliation message from the side that started it (src/net/sync/)
//   SYNC_REPLY 0x05 the other side's answer to one SYNC
//   NOTFOUND  0x06  n × 20-byte ids       "I cannot give you these" (answer to WANT), so the asker can
//                                          ask another peer at once instead of waiting for a time-out
//   TXS       0x08  n × (20-byte id ‖ 2-byte big-endian length ‖ tx.json), n ≥ 2: several answers in
//                   one frame, sent only to peers whose extended handshake says `ttxBatch: 1`. Each wire
//                   message costs a WebRTC send, an SCTP/DTLS record and a message event at each end;
//                   ~40 txs a frame cut that cost ~40× while catching up. (0x07 is CONFLICT, evidence/;
//                   0x0a PEERS and 0x0b SIGNAL, introductions/.)
//   BUSY      0x09  2-byte big-endian seconds   "I am at my connection maximum: come back after this
//                   long" (src/net/exchange/admission.ts), sent only to peers whose extended handshake
//                   says `ttxBusy: 1`, just before the sender closes the connection.
// Decoding never throws: anything out of shape is a `bad` frame and the peer that sent it is dropped.
import { bytesToHex, hexToBytes } from '../core/hex.ts';
import { MAX_TX_BYTES } from '../core/tx.ts';

export const EXTENSION_NAME = 'ut_ttx';
/** Version 2: set reconciliation and asker-paced requests. A peer of another version gets no gossip. */
export const WIRE_VERSION = 2;
/** Ids per HAVE, WANT or NOTFOUND frame. */
export const MAX_IDS_PER_FRAME = 500;
/** The largest reconciliation message either side may send (src/net/sync/ keeps within it). */
export const MAX_SYNC_BYTES = 16 * 1024;
export const MAX_FRAME_BYTES = Math.max(
  1 + 20 + MAX_TX_BYTES,
  1 + 20 * MAX_IDS_PER_FRAME,
  1 + MAX_SYNC_BYTES,
);

const HAVE = 0x01;
const WANT = 0x02;
const TX = 0x03;
const SYNC = 0x04;
const SYNC_REPLY = 0x05;
const NOTFOUND = 0x06;
const TXS = 0x08;
const BUSY = 0x09;

/** The extended-handshake key and value of a peer that reads TXS frames. */
export const BATCH_HANDSHAKE_KEY = 'ttxBatch';
export const BATCH_HANDSHAKE_VERSION = 1;
/** The extended-handshake key and value of a peer that reads BUSY frames. */
export const BUSY_HANDSHAKE_KEY = 'ttxBusy';
export const BUSY_HANDSHAKE_VERSION = 1;
/** The longest come-back delay a BUSY frame may ask for; a peer that asks longer sent a bad frame. */
export const MAX_RETRY_AFTER_S = 3600;

/** Bytes a TXS frame spends on each transaction besides its tx.json: id and length. */
const TXS_ITEM_HEADER = 20 + 2;

export interface TxItem {
  readonly id: string;
  readonly bytes: Uint8Array;
}

export type Frame =
  | { type: 'have' | 'want' | 'notfound'; ids: string[] }
  | { type: 'tx'; id: string; bytes: Uint8Array }
  | { type: 'txs'; items: TxItem[] }
  | { type: 'sync' | 'sync-reply'; message: Uint8Array }
  | { type: 'busy'; retryAfterS: number }
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

export function encodeNotFound(ids: readonly string[]): Uint8Array {
  return encodeIds(NOTFOUND, ids);
}

export function encodeTxFrame(id: string, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(21 + bytes.length);
  out[0] = TX;
  out.set(hexToBytes(id), 1);
  out.set(bytes, 21);
  return out;
}

/**
 * The frames that carry `items` to a peer that reads TXS: as few as fit MAX_FRAME_BYTES, a lone item as
 * TX. Items over MAX_TX_BYTES are never sent (no node relays a transaction that large).
 */
export function encodeTxFrames(items: readonly TxItem[]): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let group: TxItem[] = [];
  let size = 1;
  const flush = () => {
    if (group.length === 1) frames.push(encodeTxFrame(group[0]!.id, group[0]!.bytes));
    else if (group.length > 1) frames.push(encodeTxsFrame(group, size));
    group = [];
    size = 1;
  };
  for (const item of items) {
    if (item.bytes.length > MAX_TX_BYTES) throw new RangeError(`a tx.json of ${item.bytes.length} bytes`);
    const itemSize = TXS_ITEM_HEADER + item.bytes.length;
    if (size + itemSize > MAX_FRAME_BYTES) flush();
    group.push(item);
    size += itemSize;
  }
  flush();
  return frames;
}

function encodeTxsFrame(items: readonly TxItem[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  out[0] = TXS;
  let at = 1;
  for (const { id, bytes } of items) {
    out.set(hexToBytes(id), at);
    out[at + 20] = bytes.length >>> 8;
    out[at + 21] = bytes.length & 0xff;
    out.set(bytes, at + TXS_ITEM_HEADER);
    at += TXS_ITEM_HEADER + bytes.length;
  }
  return out;
}

function decodeTxs(payload: Uint8Array): TxItem[] | string {
  const items: TxItem[] = [];
  for (let at = 0; at < payload.length;) {
    if (payload.length - at < TXS_ITEM_HEADER + 1) return `a truncated item at byte ${at + 1}`;
    const length = (payload[at + 20]! << 8) | payload[at + 21]!;
    if (length === 0 || length > MAX_TX_BYTES) return `an item of ${length} bytes`;
    const end = at + TXS_ITEM_HEADER + length;
    if (end > payload.length) return `a truncated item at byte ${at + 1}`;
    // Copy: the wire may reuse its buffer, and these bytes go on to storage.
    items.push({
      id: bytesToHex(payload.subarray(at, at + 20)),
      bytes: payload.slice(at + TXS_ITEM_HEADER, end),
    });
    at = end;
  }
  return items.length < 2 ? `${items.length} items (one goes as TX)` : items;
}

function encodeMessage(type: number, message: Uint8Array): Uint8Array {
  if (message.length > MAX_SYNC_BYTES) throw new RangeError(`sync message of ${message.length} bytes`);
  const out = new Uint8Array(1 + message.length);
  out[0] = type;
  out.set(message, 1);
  return out;
}

export function encodeSync(message: Uint8Array): Uint8Array {
  return encodeMessage(SYNC, message);
}

export function encodeSyncReply(message: Uint8Array): Uint8Array {
  return encodeMessage(SYNC_REPLY, message);
}

/** BUSY: come back after `retryAfterS` seconds (1 to MAX_RETRY_AFTER_S). */
export function encodeBusy(retryAfterS: number): Uint8Array {
  if (!Number.isInteger(retryAfterS) || retryAfterS < 1 || retryAfterS > MAX_RETRY_AFTER_S) {
    throw new RangeError(`a BUSY retry-after of 1 to ${MAX_RETRY_AFTER_S} s, got ${retryAfterS}`);
  }
  return Uint8Array.of(BUSY, retryAfterS >>> 8, retryAfterS & 0xff);
}

/** Splits ids into frames of at most MAX_IDS_PER_FRAME. */
export function chunkIds(ids: readonly string[], size = MAX_IDS_PER_FRAME): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
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

const ID_FRAMES = { [HAVE]: 'have', [WANT]: 'want', [NOTFOUND]: 'notfound' } as const;

export function decodeFrame(frame: Uint8Array): Frame {
  if (frame.length > MAX_FRAME_BYTES) return { type: 'bad', problem: `frame of ${frame.length} bytes` };
  if (frame.length < 1) return { type: 'bad', problem: 'empty frame' };
  const payload = frame.subarray(1);
  switch (frame[0]) {
    case HAVE:
    case WANT:
    case NOTFOUND: {
      const ids = decodeIds(payload);
      if (!ids) return { type: 'bad', problem: `id list of ${payload.length} bytes` };
      return { type: ID_FRAMES[frame[0]], ids };
    }
    case TX:
      if (payload.length < 21 || payload.length > 20 + MAX_TX_BYTES) {
        return { type: 'bad', problem: `tx frame of ${frame.length} bytes` };
      }
      // Copy: the wire may reuse its buffer, and these bytes go on to storage.
      return { type: 'tx', id: bytesToHex(payload.subarray(0, 20)), bytes: payload.slice(20) };
    case TXS: {
      const items = decodeTxs(payload);
      if (typeof items === 'string') return { type: 'bad', problem: `TXS frame with ${items}` };
      return { type: 'txs', items };
    }
    case SYNC:
    case SYNC_REPLY:
      if (payload.length === 0 || payload.length > MAX_SYNC_BYTES) {
        return { type: 'bad', problem: `sync message of ${payload.length} bytes` };
      }
      return { type: frame[0] === SYNC ? 'sync' : 'sync-reply', message: payload.slice() };
    case BUSY: {
      const retryAfterS = payload.length === 2 ? (payload[0]! << 8) | payload[1]! : 0;
      if (retryAfterS < 1 || retryAfterS > MAX_RETRY_AFTER_S) {
        return { type: 'bad', problem: `BUSY frame of ${frame.length} bytes asking ${retryAfterS} s` };
      }
      return { type: 'busy', retryAfterS };
    }
    default:
      return { type: 'bad', problem: `unknown frame type ${frame[0]}` };
  }
}

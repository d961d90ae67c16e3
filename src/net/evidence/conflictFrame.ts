// The CONFLICT frame of `ut_ttx`: evidence of a double spend, sent only to peers whose extended handshake
// says they read it (`ttxConflict: 1`), so version-2 peers without it never see the frame type.
//   CONFLICT  0x07  n (1 byte, 2..MAX_EVIDENCE_TXS) then n × (20-byte id ‖ 2-byte big-endian length ‖ tx.json)
// The first n − 1 transactions are what the sender accepted; the last is the spend it found in conflict
// with them (PROTOCOL §5.13). Together they are signed spends of one output whose costs exceed its value:
// proof of a double spend to anyone, whichever they saw first. Decoding never throws.
import { bytesToHex, hexToBytes } from '../../core/hex.ts';
import { MAX_TX_BYTES } from '../../core/tx.ts';

export const CONFLICT_FRAME = 0x07;
/** The extended-handshake key (and its value) of a peer that reads CONFLICT frames. */
export const CONFLICT_HANDSHAKE_KEY = 'ttxConflict';
export const CONFLICT_HANDSHAKE_VERSION = 1;
/** Transactions in one piece of evidence: the losing spend and up to three that it lost to. */
export const MAX_EVIDENCE_TXS = 4;
/** The largest CONFLICT frame (4,186 bytes): within MAX_FRAME_BYTES and the wire guard's bound. */
export const MAX_CONFLICT_FRAME_BYTES = 2 + MAX_EVIDENCE_TXS * (20 + 2 + MAX_TX_BYTES);

export interface EvidenceTx {
  readonly id: string;
  readonly bytes: Uint8Array;
}

/** A double spend the ledger found: the output spent twice, and the evidence (accepted first, loser last). */
export interface FoundConflict {
  readonly output: string;
  readonly txs: readonly EvidenceTx[];
}

export type ConflictFrame = { ok: true; txs: EvidenceTx[] } | { ok: false; problem: string };

/** `txs`: what the sender accepted, then the losing spend last. */
export function encodeConflict(txs: readonly EvidenceTx[]): Uint8Array {
  if (txs.length < 2 || txs.length > MAX_EVIDENCE_TXS) {
    throw new RangeError(`evidence holds 2 to ${MAX_EVIDENCE_TXS} transactions, got ${txs.length}`);
  }
  const size = 2 + txs.reduce((sum, tx) => sum + 22 + tx.bytes.length, 0);
  const out = new Uint8Array(size);
  out[0] = CONFLICT_FRAME;
  out[1] = txs.length;
  let at = 2;
  for (const { id, bytes } of txs) {
    if (bytes.length > MAX_TX_BYTES) throw new RangeError(`a transaction of ${bytes.length} bytes`);
    out.set(hexToBytes(id), at);
    out[at + 20] = bytes.length >> 8;
    out[at + 21] = bytes.length & 0xff;
    out.set(bytes, at + 22);
    at += 22 + bytes.length;
  }
  return out;
}

export function decodeConflict(frame: Uint8Array): ConflictFrame {
  if (frame[0] !== CONFLICT_FRAME) return { ok: false, problem: 'not a CONFLICT frame' };
  if (frame.length > MAX_CONFLICT_FRAME_BYTES)
    return { ok: false, problem: `evidence of ${frame.length} bytes` };
  const n = frame[1] ?? 0;
  if (n < 2 || n > MAX_EVIDENCE_TXS) return { ok: false, problem: `evidence of ${n} transactions` };
  const txs: EvidenceTx[] = [];
  let at = 2;
  for (let i = 0; i < n; i++) {
    if (at + 22 > frame.length) return { ok: false, problem: 'evidence cut short' };
    const length = (frame[at + 20]! << 8) | frame[at + 21]!;
    if (length === 0 || length > MAX_TX_BYTES || at + 22 + length > frame.length) {
      return { ok: false, problem: `evidence transaction of ${length} bytes` };
    }
    // Copy: the wire may reuse its buffer, and these bytes go on to storage.
    txs.push({ id: bytesToHex(frame.subarray(at, at + 20)), bytes: frame.slice(at + 22, at + 22 + length) });
    at += 22 + length;
  }
  if (at !== frame.length) return { ok: false, problem: 'bytes after the evidence' };
  if (new Set(txs.map((tx) => tx.id)).size !== n) return { ok: false, problem: 'the same transaction twice' };
  return { ok: true, txs };
}

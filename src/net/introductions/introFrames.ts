// The introduction frames of `ut_ttx`: WebRTC signalling relayed by peers, and the peer ids a node shares
// so that its peers know whom it can introduce them to. Sent only to peers whose extended handshake says
// they read them (`ttxIntro: 1`), so version-2 peers without it never see these frame types; the wire
// version is unchanged.
//   SIGNAL  0x0b  kind (1 byte: 1 offer, 2 answer) ‖ ttl (1 byte, 1..MAX_TTL) ‖ 8-byte signal id ‖
//                 20-byte origin peer id ‖ 20-byte target peer id ‖ SDP (UTF-8, 1..MAX_SDP_BYTES)
//   PEERS   0x0a  n × 20-byte peer ids, 0 ≤ n ≤ MAX_SHARED_PEERS: gossip peers the sender is connected to
// A relay that is not the target passes a SIGNAL on with ttl − 1, never with 0 (so it arrives with 1..3):
// an offer reaches a peer at most three hops away, as Nimiq's signalling does. The answer carries the
// offer's signal id and comes back along the offer's path. Decoding never throws.
import { bytesToHex, hexToBytes } from '../../core/hex.ts';

export const SIGNAL_FRAME = 0x0b;
export const PEERS_FRAME = 0x0a;
/** The extended-handshake key (and its value) of a peer that reads SIGNAL and PEERS frames. */
export const INTRO_HANDSHAKE_KEY = 'ttxIntro';
export const INTRO_HANDSHAKE_VERSION = 1;
/** Hops a signal may travel: it arrives with a ttl of 1 to MAX_TTL. */
export const MAX_TTL = 3;
/**
 * The largest SDP carried. An offer without trickle holds every candidate: Chromium's with one data
 * channel and a few host/srflx candidates is ~0.5–1.5 KB; 4 KB leaves room for a relay candidate or two.
 */
export const MAX_SDP_BYTES = 4096;
/** Peer ids in one PEERS frame. */
export const MAX_SHARED_PEERS = 8;
const SIGNAL_HEADER = 1 + 1 + 1 + 8 + 20 + 20;
export const MAX_SIGNAL_FRAME_BYTES = SIGNAL_HEADER + MAX_SDP_BYTES;

const KINDS = { offer: 1, answer: 2 } as const;

export interface Signal {
  readonly kind: 'offer' | 'answer';
  readonly ttl: number;
  /** 16 hex characters, chosen at random by the offer's origin; its answer carries the same. */
  readonly signalId: string;
  /** Peer ids, 40 hex characters: who sent the offer or answer, and whom it is for. */
  readonly from: string;
  readonly to: string;
  readonly sdp: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; problem: string };

export function encodeSignal(signal: Signal): Uint8Array {
  const sdp = new TextEncoder().encode(signal.sdp);
  if (sdp.length === 0 || sdp.length > MAX_SDP_BYTES) throw new RangeError(`an SDP of ${sdp.length} bytes`);
  if (signal.ttl < 1 || signal.ttl > MAX_TTL) throw new RangeError(`a ttl of ${signal.ttl}`);
  const out = new Uint8Array(SIGNAL_HEADER + sdp.length);
  out[0] = SIGNAL_FRAME;
  out[1] = KINDS[signal.kind];
  out[2] = signal.ttl;
  out.set(hexToBytes(signal.signalId), 3);
  out.set(hexToBytes(signal.from), 11);
  out.set(hexToBytes(signal.to), 31);
  out.set(sdp, SIGNAL_HEADER);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeSignal(frame: Uint8Array): Decoded<Signal> {
  if (frame[0] !== SIGNAL_FRAME) return { ok: false, problem: 'not a SIGNAL frame' };
  if (frame.length > MAX_SIGNAL_FRAME_BYTES) {
    return {
      ok: false,
      problem: `an SDP of ${frame.length - SIGNAL_HEADER} bytes (at most ${MAX_SDP_BYTES})`,
    };
  }
  if (frame.length <= SIGNAL_HEADER) return { ok: false, problem: `a SIGNAL frame of ${frame.length} bytes` };
  const kind = frame[1] === KINDS.offer ? 'offer' : frame[1] === KINDS.answer ? 'answer' : undefined;
  if (!kind) return { ok: false, problem: `a signal of kind ${frame[1]}` };
  const ttl = frame[2]!;
  if (ttl < 1 || ttl > MAX_TTL) return { ok: false, problem: `a signal with ttl ${ttl} (1 to ${MAX_TTL})` };
  const from = bytesToHex(frame.subarray(11, 31));
  const to = bytesToHex(frame.subarray(31, 51));
  if (from === to) return { ok: false, problem: 'a signal from a peer to itself' };
  let sdp: string;
  try {
    sdp = utf8.decode(frame.subarray(SIGNAL_HEADER));
  } catch {
    return { ok: false, problem: 'an SDP that is not UTF-8' };
  }
  if (!sdp.startsWith('v=0')) return { ok: false, problem: 'an SDP that does not start with v=0' };
  return { ok: true, value: { kind, ttl, signalId: bytesToHex(frame.subarray(3, 11)), from, to, sdp } };
}

export function encodePeers(peerIds: readonly string[]): Uint8Array {
  if (peerIds.length > MAX_SHARED_PEERS) throw new RangeError(`${peerIds.length} shared peers`);
  const out = new Uint8Array(1 + 20 * peerIds.length);
  out[0] = PEERS_FRAME;
  peerIds.forEach((id, i) => out.set(hexToBytes(id), 1 + 20 * i));
  return out;
}

export function decodePeers(frame: Uint8Array): Decoded<string[]> {
  if (frame[0] !== PEERS_FRAME) return { ok: false, problem: 'not a PEERS frame' };
  const payload = frame.length - 1;
  if (payload % 20 !== 0 || payload / 20 > MAX_SHARED_PEERS) {
    return { ok: false, problem: `a PEERS frame of ${frame.length} bytes (at most ${MAX_SHARED_PEERS} ids)` };
  }
  const ids: string[] = [];
  for (let at = 1; at < frame.length; at += 20) ids.push(bytesToHex(frame.subarray(at, at + 20)));
  if (new Set(ids).size !== ids.length) return { ok: false, problem: 'the same peer twice in PEERS' };
  return { ok: true, value: ids };
}

/** A fresh signal id: 8 random bytes as hex. */
export function newSignalId(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(8)));
}

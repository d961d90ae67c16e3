// How many bytes this node has queued for one peer and not yet handed to its connection: what serving
// WANTs must not grow without bound (issue 16 item 10). Reads only; no timers of its own but the wait.
//
// === Specification ===
//  1. queuedBytes(wire) is what the wire has queued to send: a bittorrent-protocol Wire is a streamx
//     Duplex piped into its connection, and `push()` never refuses, so the bytes the connection did not
//     take yet wait in the wire's readable state (`_readableState.buffered`). The connection below holds
//     at most its own bounds on top (simple-peer stops writing past 64 KiB in the data channel, and its
//     writable side holds one highWaterMark): a peer that does not read makes this figure grow.
//     A wire without that state (a test double) reports 0.
//  2. Serving a peer's WANTs sends a chunk only while queuedBytes is below SERVE_PAUSE_BYTES, and waits
//     (SERVE_PAUSE_POLL_MS at a time) while it is not: what serving queues for one peer stays under
//     SERVE_PAUSE_BYTES + one chunk of answers (SERVE_CHUNK × (MAX_TX_BYTES + 21)).
//  3. While serving waits, the peer's further WANTs queue as ids, bounded by MAX_SERVE_QUEUE: a peer
//     that keeps asking while it does not read passes it and is disconnected (txGossip.ts). An honest
//     asker never has more than MAX_IN_FLIGHT_PER_PEER (100) ids asked of one peer, so a slow honest
//     link only slows its own answers.

/** Serving a peer pauses while this much is queued for it (a slow link drains 256 KiB in seconds). */
export const SERVE_PAUSE_BYTES = 256 * 1024;
/** How often a paused serve looks again. */
export const SERVE_PAUSE_POLL_MS = 50;

interface StreamxState {
  readonly buffered?: number;
}

/** Rule 1. */
export function queuedBytes(wire: object): number {
  const state = (wire as { _readableState?: StreamxState })._readableState;
  return typeof state?.buffered === 'number' ? state.buffered : 0;
}

/** Rule 2: resolves once `wire` has room to send again, or `alive()` turned false. */
export async function roomToSend(wire: object, alive: () => boolean): Promise<void> {
  while (alive() && queuedBytes(wire) >= SERVE_PAUSE_BYTES) {
    await new Promise((resolve) => setTimeout(resolve, SERVE_PAUSE_POLL_MS));
  }
}

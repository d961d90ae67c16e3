// Every gossip frame's name by its first byte: the exchange's (txWireProtocol.ts), the evidence's
// (conflictFrame.ts) and the introductions' (introFrames.ts). The gossip's traffic counts and the
// benchmarks' wire counters name frames by it, so both read one table.
import { CONFLICT_FRAME } from './evidence/conflictFrame.ts';
import { PEERS_FRAME, SIGNAL_FRAME } from './introductions/introFrames.ts';

const FRAME_NAMES: Record<number, string> = {
  1: 'have',
  2: 'want',
  3: 'tx',
  4: 'sync',
  5: 'sync-reply',
  6: 'notfound',
  8: 'tx', // TXS: the same transactions, several to a frame
  9: 'busy',
  [CONFLICT_FRAME]: 'conflict',
  [SIGNAL_FRAME]: 'signal',
  [PEERS_FRAME]: 'peers',
};

/** The frame's name, or 'other' for a first byte no frame has. */
export function gossipFrameName(frame: Uint8Array): string {
  return FRAME_NAMES[frame[0] ?? -1] ?? 'other';
}

// Reconciliation messages built to cost the responder as much as the protocol's bounds let them, against
// a set the attacker knows (every id is public once relayed): the rogue of the SYNC CPU attack and the
// calibration bench use them. Each keeps every bound (frame size, MAX_RANGES_PER_MESSAGE), so it is a
// valid SYNC a responder must answer.
import {
  MAX_RANGES_PER_MESSAGE,
  MODE_FINGERPRINT,
  MODE_SKIP,
  PROTOCOL_VERSION,
} from '../../src/net/sync/syncProtocol.ts';
import { SyncMessageWriter } from '../../src/net/sync/syncMessageWriter.ts';
import type { SyncSet } from '../../src/net/sync/syncSet.ts';
import { MAX_SYNC_BYTES } from '../../src/net/txWireProtocol.ts';

/** Room kept for a bound of a full prefix, the mode and a fingerprint. */
const RANGE_ROOM = 8 + 1 + 20 + 1 + 16;

/**
 * One-item ranges over `set` from item `from` on: the first `fingerprints` carry the set's true
 * fingerprint (each costs the responder a binary search and a SHA-256, and it answers nothing), the rest
 * are Skips (a binary search each, 2–3 bytes), until the frame or the range count is full.
 */
export function costlySync(
  set: SyncSet,
  { fingerprints = Infinity, from = 1, frameSize = MAX_SYNC_BYTES } = {},
): Uint8Array {
  const out = new SyncMessageWriter();
  out.byte(PROTOCOL_VERSION);
  let lower = from - 1;
  for (let i = from; i < set.size && out.ranges < MAX_RANGES_PER_MESSAGE; i++) {
    if (out.length + RANGE_ROOM > frameSize) break;
    const bound = set.boundBefore(i);
    if (out.ranges < fingerprints) {
      out.range(bound, MODE_FINGERPRINT);
      out.bytes(set.fingerprint(lower, i));
    } else {
      out.range(bound, MODE_SKIP);
    }
    lower = i;
  }
  return out.finish();
}

/** The most expensive of the shapes above for the responder, by its own count (SyncWork). */
export const COSTLY_SHAPES = {
  fingerprints: { fingerprints: Infinity },
  skips: { fingerprints: 0 },
} as const;

// A SYNC message built to cost its responder the most per byte: one fingerprint range for every
// `perRange` items of the responder's set, each with a fingerprint that matches none, so the responder
// computes each range's fingerprint and splits it into buckets or an id list. Shared by
// bench/reconcile.bench.ts (its "hostile frame" figure) and the SYNC flood of the attack tests.
import { MODE_FINGERPRINT, PROTOCOL_VERSION, FINGERPRINT_BYTES } from '../../src/net/sync/syncProtocol.ts';
import type { SyncSet } from '../../src/net/sync/syncSet.ts';
import { varintLength, writeVarint } from '../../src/net/sync/varint.ts';

/** The message, at most `maxBytes` long, over ranges of about `perRange` of `set`'s items. */
export function hostileSyncMessage(set: SyncSet, maxBytes: number, perRange = 33): Uint8Array {
  const out = new Uint8Array(maxBytes);
  out[0] = PROTOCOL_VERSION;
  let at = 1;
  let prevTime = 0;
  for (let i = perRange; i < set.size; i += perRange) {
    const bound = set.boundBefore(i);
    // Bound times go as deltas from the previous bound, plus one (0 is infinity).
    const delta = 1 + bound.time - prevTime;
    const size = varintLength(delta) + 1 + bound.prefix.length + 1 + FINGERPRINT_BYTES;
    if (at + size > maxBytes) break;
    at = writeVarint(out, at, delta);
    out[at++] = bound.prefix.length;
    out.set(bound.prefix, at);
    at += bound.prefix.length;
    out[at++] = MODE_FINGERPRINT;
    at += FINGERPRINT_BYTES; // zeros: matches no range of real ids
    prevTime = bound.time;
  }
  return out.slice(0, at);
}

// Whether a reconciliation message is the first of a session: the shape only `Reconciler.initiate()`
// writes. The responder keeps no state between messages (syncInventory.ts), so this is how it counts a
// peer's sessions and the rounds of each (syncBudget.ts) without trusting anything the peer says.
//
// initiate() splits the whole set once: one IdList up to infinity (fewer than ID_LIST_THRESHOLD items),
// or BUCKETS Fingerprint ranges, the last up to infinity, and nothing else. A later message of an honest
// initiator never has that shape: it answers the responder's last message, whose ranges an honest
// responder never reduces to one range over everything (its first range always fits a frame of
// MIN_FRAME_SIZE_LIMIT), so the initiator's answer opens with a Skip, or ends below infinity, or has
// other than BUCKETS ranges. A message that cannot be read is not an opening (the reconciler rejects it).
import { SyncMessageReader } from './syncMessageReader.ts';
import {
  BUCKETS,
  FINGERPRINT_BYTES,
  MODE_FINGERPRINT,
  MODE_ID_LIST,
  PROTOCOL_VERSION,
} from './syncProtocol.ts';

export function opensSession(message: Uint8Array, idSize: number): boolean {
  try {
    const input = new SyncMessageReader(message, idSize);
    if (input.byte() !== PROTOCOL_VERSION) return false;
    let ranges = 0;
    let fingerprints = 0;
    let lastTime = 0;
    let lastMode = -1;
    while (input.remaining > 0 && ranges <= BUCKETS) {
      lastTime = input.bound().time;
      lastMode = input.varint('mode');
      ranges++;
      if (lastMode === MODE_FINGERPRINT) {
        fingerprints++;
        input.bytes(FINGERPRINT_BYTES, 'fingerprint');
      } else if (lastMode === MODE_ID_LIST) {
        input.bytes(input.varint('id count') * idSize, 'id list');
      } else {
        return false;
      }
    }
    if (input.remaining > 0 || lastTime !== Infinity) return false;
    return (ranges === 1 && lastMode === MODE_ID_LIST) || (ranges === BUCKETS && fingerprints === BUCKETS);
  } catch (err) {
    if ((err as Error).name !== 'ReconcileProtocolError') throw err;
    return false;
  }
}

// How safe a payment is, in the three states a person is shown: pending (seen, the settle window is
// running), settled (no double spend of it or of anything it comes from was seen during the window, and
// enough peers hold it), disputed (such a double spend exists: the sender double-spent, and nodes that
// saw the other spend first do not count this payment). Local advice, never a verdict (PROTOCOL §5:
// first-seen verdicts do not change). Pure: the clock is handed in. Once settled, a payment stays settled
// (the wallet stores when: src/ledger/paymentWatch.ts), unless a double spend in its ancestry is seen.

/**
 * How long a payment stays pending after this node first saw it. Chosen from measured propagation:
 * `npm run bench:net` gives p95 27 ms for one hop on loopback (2026-12-01); over the internet a WebRTC
 * hop is ~10× that, and a double spend has to cross the swarm and its evidence come back (two passes
 * over a diameter of ~6 hops: ~3.6 s at 300 ms a hop). 10 s is ≥ 10 × that p95 wherever we measured
 * and leaves room for a partition that heals through a tracker's re-announce.
 */
export const SETTLE_WINDOW_MS = 10_000;
/**
 * Peers that must have shown they hold the payment (sent it, announced it, or listed it in a
 * reconciliation: src/net/evidence/holderCounts.ts) before it is settled, or every connected peer when
 * fewer are connected.
 */
export const SETTLE_HOLDERS = 3;

export interface PaymentSafetyInput {
  /** When this node first saw the payment (node time, ms). */
  readonly firstSeenAt: number;
  /**
   * When this node first saw a conflicting spend of the payment or of one of its ancestors (their
   * conflict records), or null when it knows of none.
   */
  readonly conflictSeenAt: number | null;
  /**
   * When this node found it settled (stored, so it survives a reload and an offline start), or null.
   * The window and the holders are not asked again: what was settled stays so.
   */
  readonly settledAt: number | null;
  /** Peers that showed they hold the payment. */
  readonly holders: number;
  /** Peers connected now. */
  readonly peers: number;
  readonly now: number;
}

export type PaymentState =
  | {
      readonly state: 'pending';
      readonly settlesAt: number;
      readonly remainingMs: number;
      readonly holdersNeeded: number;
    }
  | { readonly state: 'settled' }
  | { readonly state: 'disputed'; readonly since: number };

/**
 * Disputed as soon as a double spend in its ancestry is known, whenever it is seen: a partition can last
 * longer than any window, and nodes on the other side of it do not count this payment (only the owner
 * of an output can sign a second spend of it, so "the sender double-spent" is always true). Settled when
 * the window has passed with no such double spend and enough peers hold it, or when it was found settled
 * before (`settledAt`). Pending otherwise:
 * `remainingMs` counts down the window, then stays 0 while `holdersNeeded` more peers are awaited.
 */
export function paymentState(input: PaymentSafetyInput): PaymentState {
  const settlesAt = input.firstSeenAt + SETTLE_WINDOW_MS;
  if (input.conflictSeenAt !== null) return { state: 'disputed', since: input.conflictSeenAt };
  if (input.settledAt !== null) return { state: 'settled' };
  const wanted = Math.max(1, Math.min(SETTLE_HOLDERS, input.peers));
  const holdersNeeded = Math.max(0, wanted - input.holders);
  if (input.now >= settlesAt && holdersNeeded === 0) return { state: 'settled' };
  return { state: 'pending', settlesAt, remainingMs: Math.max(0, settlesAt - input.now), holdersNeeded };
}

// Which peers have shown that they hold a transaction: what the wallet's "held by k peers" reads
// (src/core/paymentState.ts: a payment is settled once SETTLE_HOLDERS peers hold it). A peer shows it by
// doing something a peer without the transaction cannot: it sent us the transaction's bytes, or a
// reconciliation this node started with it compared the id and did not find it missing on its side.
//
// Decisions (issue 16, item 9):
// - A HAVE never counts, before or after the transaction is accepted here: anyone who heard an id can
//   announce it (three peers echoing this node's own relay would make every payment settled), and it
//   costs nothing. A peer that announced a transaction counts once it serves it, or once a reconciliation
//   compared it.
// - Ids a peer lists in a reconciliation that this node lacks do not count either: they are fetched like
//   announcements, and the peer counts when it serves them.
// - A reconciliation counts a peer only for the ids this node already had when it began (every range
//   holding them was then compared, by fingerprint or id list: src/net/sync/reconciler.ts) and that the
//   peer's side did not lack (the reconciler's `have`). A peer that answers from a set without the id is
//   never counted for it, whatever its session started after; nor is any peer for an id it was never
//   compared on.
// - Reconciliations are per peer every RESYNC_MS (a minute), far longer than the settle window. So the
//   ids the wallet asks about (count, counts) are watched: a peer not yet compared on a watched id after
//   CHECK_DELAY_MS (time for the payment to reach it) is due an early reconciliation, at most one per
//   MIN_CHECK_GAP_MS per peer. Only ids the wallet asks about are compared this way, so a reconciliation
//   keeps at most MAX_WATCHED ids per peer in flight, and a node nobody asks (a full node) none.
//
// === Specification ===
//  1. saw(id, peerKey) notes that the peer holds the id (it sent the bytes). Per id at most
//     MAX_HOLDERS_NOTED peers are kept: the wallet needs a small k, not a census.
//  2. At most MAX_TRACKED_IDS ids are noted; past that the least recently noted id is forgotten first.
//  3. count(id) is how many distinct peers were noted for it (0 for an id not tracked). A peer that
//     disconnects still counts: it held the transaction when it showed it.
//  4. Peer keys are per connection: a peer that reconnects may be counted twice, at most
//     MAX_HOLDERS_NOTED in all.
//  5. checkStarted(peerKey, has) at the start of a reconciliation this node initiates notes which watched
//     ids this node has (`has`), and answers whether there are any (the reconciliation must then report
//     every id the peer lacks, not only what this node needs: syncInventory.ts); lacks(peerKey, ids) drops those the peer's side lacks; checkEnded(peerKey)
//     notes the peer for the rest (as saw does). A check is kept for at most MAX_CHECKED_PEERS peers (the
//     least recently started forgotten first: such a check credits nothing); a new one for a peer
//     replaces its old one.
//  6. count(id, since) and counts(items) watch each id asked about (at most MAX_WATCHED, the least
//     recently asked forgotten first) while fewer than SETTLE_HOLDERS peers are noted for it: it is due a
//     check from max(first asked, since + CHECK_DELAY_MS). checkDue(peerKey, lastEnd) is true when a
//     watched id with fewer than SETTLE_HOLDERS peers noted is due, the peer's last reconciliation began
//     before that, the peer is not noted for it, its last reconciliation ended at least MIN_CHECK_GAP_MS
//     ago, and the one before began more than `windowMs` + MIN_CHECK_GAP_MS ago (a peer counts the
//     sessions opened with it: at most two within RESYNC_MS, src/net/sync/syncBudget.ts; the regular
//     resync comes RESYNC_MS after the last session ended, so an early one never makes three). So each
//     watched id costs each peer at most one early reconciliation, besides the regular ones.
import { SETTLE_HOLDERS } from '../../core/paymentState.ts';

/** Ids whose holders are tracked at once (~50 bytes + the peer keys each). */
export const MAX_TRACKED_IDS = 4096;
/** Peers noted per id: at least what the wallet needs (SETTLE_HOLDERS). */
export const MAX_HOLDERS_NOTED = Math.max(8, SETTLE_HOLDERS);
/**
 * Ids the wallet asked about that reconciliations compare (each check copies those this node has). The
 * wallet asks about its newest HISTORY_LIMIT (200) entries, so they all fit.
 */
export const MAX_WATCHED = 512;
/** Peers whose reconciliation in progress (and when their last one began) is remembered. */
export const MAX_CHECKED_PEERS = 256;
/**
 * How long after this node first saw a watched id a peer is due a check: the payment reaches every
 * peer well within it (`npm run bench:net`: p95 27 ms a hop on loopback, ~300 ms over the internet),
 * and it is well within the settle window (SETTLE_WINDOW_MS, 10 s).
 */
export const CHECK_DELAY_MS = 2000;
/** Early reconciliations with one peer at most this often (the regular ones are RESYNC_MS apart). */
export const MIN_CHECK_GAP_MS = 5000;

interface Check {
  /** Watched ids this node had when the reconciliation began, not (yet) found missing on the peer. */
  readonly pending: Set<string>;
}

export class HolderCounts {
  private readonly holders = new Map<string, Set<string>>();
  /** Watched ids and when each is due a check (oldest asked first). */
  private readonly watched = new Map<string, number>();
  /** Per peer: when its last two reconciliations began, older first (least recently started first). */
  private readonly startedAt = new Map<string, [number, number]>();
  private readonly checks = new Map<string, Check>();

  constructor(
    private readonly clock: () => number = () => Date.now(),
    private readonly maxIds = MAX_TRACKED_IDS,
  ) {}

  get size(): number {
    return this.holders.size;
  }

  saw(id: string, peerKey: string): void {
    const peers = this.holders.get(id) ?? new Set<string>();
    this.holders.delete(id); // most recently noted last
    this.holders.set(id, peers);
    if (peers.size < MAX_HOLDERS_NOTED) peers.add(peerKey);
    while (this.holders.size > this.maxIds) this.holders.delete(this.holders.keys().next().value!);
  }

  /** True when watched ids are being checked: the reconciliation must then report what the peer lacks. */
  checkStarted(peerKey: string, has: (id: string) => boolean): boolean {
    const pending = new Set<string>();
    for (const id of this.watched.keys()) if (has(id)) pending.add(id);
    const last = this.startedAt.get(peerKey)?.[1] ?? -Infinity;
    this.startedAt.delete(peerKey);
    this.startedAt.set(peerKey, [last, this.clock()]);
    this.checks.delete(peerKey);
    this.checks.set(peerKey, { pending });
    while (this.startedAt.size > MAX_CHECKED_PEERS)
      this.startedAt.delete(this.startedAt.keys().next().value!);
    while (this.checks.size > MAX_CHECKED_PEERS) this.checks.delete(this.checks.keys().next().value!);
    return pending.size > 0;
  }

  lacks(peerKey: string, ids: readonly string[]): void {
    const check = this.checks.get(peerKey);
    if (!check || check.pending.size === 0) return;
    for (const id of ids) check.pending.delete(id);
  }

  checkEnded(peerKey: string): void {
    const check = this.checks.get(peerKey);
    if (!check) return;
    this.checks.delete(peerKey);
    for (const id of check.pending) this.saw(id, peerKey);
  }

  /**
   * Whether a reconciliation with this peer now would compare a watched id it was not compared on, and
   * may start: the peer allows at most two openings within `windowMs` (syncBudget.ts), so the one
   * before the last must have begun more than `windowMs` + MIN_CHECK_GAP_MS ago.
   */
  checkDue(peerKey: string, lastEnd: number, windowMs: number): boolean {
    const now = this.clock();
    if (this.watched.size === 0 || now - lastEnd < MIN_CHECK_GAP_MS) return false;
    const [before, began] = this.startedAt.get(peerKey) ?? [-Infinity, -Infinity];
    if (now - before < windowMs + MIN_CHECK_GAP_MS) return false;
    for (const [id, dueAt] of this.watched) {
      const noted = this.holders.get(id);
      if (dueAt <= now && dueAt > began && !noted?.has(peerKey) && (noted?.size ?? 0) < SETTLE_HOLDERS) {
        return true;
      }
    }
    return false;
  }

  /** Peers noted for `id`; asking watches it (since: when this node first saw it). */
  count(id: string, since?: number): number {
    const n = this.holders.get(id)?.size ?? 0;
    if (n < SETTLE_HOLDERS) this.watch(id, since);
    return n;
  }

  /** Counts for these ids, each with when this node first saw it (ids counting 0 are absent). */
  counts(items: readonly { readonly id: string; readonly since?: number }[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { id, since } of items) {
      const n = this.count(id, since);
      if (n > 0) out[id] = n;
    }
    return out;
  }

  private watch(id: string, since: number | undefined): void {
    const now = this.clock();
    const dueAt = this.watched.get(id) ?? Math.max(now, (since ?? now) + CHECK_DELAY_MS);
    this.watched.delete(id); // most recently asked last
    this.watched.set(id, dueAt);
    while (this.watched.size > MAX_WATCHED) this.watched.delete(this.watched.keys().next().value!);
  }
}

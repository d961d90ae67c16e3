// Which peers have shown that they hold a transaction: they sent it, announced it (HAVE), listed it in a
// reconciliation, or finished a reconciliation with this node that began after this node had it. What
// the wallet's "held by k peers" reads (src/core/paymentState.ts). Cheap and local: an honest node
// announces only what it accepted, and both sides of a reconciliation fetch what they lack (a peer is
// counted once our side of it ends, possibly just before its own side has fetched the difference).
//
// === Specification ===
//  1. saw(id, peerKey) notes that the peer holds the id. Per id at most MAX_HOLDERS_NOTED peers are kept:
//     the wallet needs a small k, not a census.
//  2. At most MAX_TRACKED_IDS ids are tracked; past that the least recently noted id is forgotten first.
//  3. count(id) is how many distinct peers were noted for it (0 for an id not tracked). A peer that
//     disconnects still counts: it held the transaction when it said so.
//  4. Peer keys are per connection: a peer that reconnects may be counted twice, at most
//     MAX_HOLDERS_NOTED in all.
//  5. reconciled(peerKey, startedAt) notes that a reconciliation with the peer that began at startedAt
//     ended; the latest one per peer is kept, for at most MAX_RECONCILED_PEERS peers (least recently
//     reconciled forgotten). count(id, since) adds the peers not noted for the id whose last
//     reconciliation began at or after `since` (when this node had the id), so transactions older than
//     this session's relays are counted too.

/** Ids whose holders are tracked at once (~50 bytes + the peer keys each). */
export const MAX_TRACKED_IDS = 4096;
/** Peers noted per id. */
export const MAX_HOLDERS_NOTED = 8;
/** Peers whose last reconciliation is remembered. */
export const MAX_RECONCILED_PEERS = 64;

export class HolderCounts {
  private readonly holders = new Map<string, Set<string>>();
  private readonly reconciledAt = new Map<string, number>();

  constructor(private readonly maxIds = MAX_TRACKED_IDS) {}

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

  reconciled(peerKey: string, startedAt: number): void {
    this.reconciledAt.delete(peerKey);
    this.reconciledAt.set(peerKey, startedAt);
    while (this.reconciledAt.size > MAX_RECONCILED_PEERS) {
      this.reconciledAt.delete(this.reconciledAt.keys().next().value!);
    }
  }

  /** Peers noted for `id`, and with `since` (when this node had it) those reconciled after that. */
  count(id: string, since?: number): number {
    const noted = this.holders.get(id);
    let n = noted?.size ?? 0;
    if (since === undefined) return n;
    for (const [peer, startedAt] of this.reconciledAt) if (startedAt >= since && !noted?.has(peer)) n++;
    return Math.min(n, MAX_HOLDERS_NOTED);
  }

  /** Counts for these ids, each with when this node had it (ids counting 0 are absent). */
  counts(items: readonly { readonly id: string; readonly since?: number }[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { id, since } of items) {
      const n = this.count(id, since);
      if (n > 0) out[id] = n;
    }
    return out;
  }
}

// Which peers have shown that they hold a transaction: they sent it, announced it (HAVE), or listed it in a
// reconciliation. What the wallet's "held by k peers" reads (src/core/paymentState.ts). Cheap and local:
// a peer that announced an id has accepted it (an honest node announces only what it accepted).
//
// === Specification ===
//  1. saw(id, peerKey) notes that the peer holds the id. Per id at most MAX_HOLDERS_NOTED peers are kept:
//     the wallet needs a small k, not a census.
//  2. At most MAX_TRACKED_IDS ids are tracked; past that the least recently noted id is forgotten first.
//  3. count(id) is how many distinct peers were noted for it (0 for an id not tracked). A peer that
//     disconnects still counts: it held the transaction when it said so.
//  4. Peer keys are per connection: a peer that reconnects may be counted twice, at most
//     MAX_HOLDERS_NOTED in all.

/** Ids whose holders are tracked at once (~50 bytes + the peer keys each). */
export const MAX_TRACKED_IDS = 4096;
/** Peers noted per id. */
export const MAX_HOLDERS_NOTED = 8;

export class HolderCounts {
  private readonly holders = new Map<string, Set<string>>();

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

  count(id: string): number {
    return this.holders.get(id)?.size ?? 0;
  }

  /** Counts of the tracked ids among `ids` (others are absent). */
  counts(ids: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const id of ids) {
      const n = this.count(id);
      if (n > 0) out[id] = n;
    }
    return out;
  }
}

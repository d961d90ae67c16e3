// Which held transactions (orphans waiting for a parent, futures waiting for their time) a node drops
// so that no peer can make it hold without bound. Pure: the held set, the clock and the misbehaving
// peers are handed in; the answer is a list of ids, which the ledger drops (DropHeld).
//
// === Specification ===
// PROTOCOL §5 lets a node drop held transactions (local policy, not consensus): a dropped held
// transaction counts as never received and may be received again later. heldToDrop(held, now,
// misbehaved) returns the ids to drop, applying in order:
//  1. Expiry: a transaction held for HELD_TTL_MS or longer is dropped, whoever sent it. A future more
//     than HELD_TTL_MS − 10 min ahead of the clock is thus dropped before its time; it is decided if
//     received again nearer its time.
//  2. Per peer: of the transactions a peer made us hold, at most MAX_HELD_PER_PEER are kept; its oldest
//     past that are dropped. The node's own (from: null — the wallet, the faucet, a torrent fetched by
//     id) have no per-peer bound.
//  3. In total, at most MAX_HELD_TOTAL are kept. Past that the dropped are, in order: those from peers
//     that misbehaved (oldest first), then those from other peers (oldest first), then the node's own
//     (oldest first).
// Ties in age are broken by id, so the answer depends only on the input. Each id appears once.

/** Held transactions one peer can make us keep: ten windows of MAX_IN_FLIGHT_PER_PEER answers. */
export const MAX_HELD_PER_PEER = 1000;
/** Held transactions in total: at most ~5 MiB of tx.json (1024 bytes each) plus their index entries. */
export const MAX_HELD_TOTAL = 5000;
/** How long a transaction stays held: long enough for a parent to arrive during a sync. */
export const HELD_TTL_MS = 20 * 60 * 1000;

export type PeerKey = string;

export interface HeldEntry {
  readonly id: string;
  /** The peer whose transaction made us hold it, or null for this node's own. */
  readonly from: PeerKey | null;
  /** When it was first held, on the clock handed to heldToDrop. */
  readonly heldAt: number;
}

export interface HeldLimits {
  readonly maxPerPeer: number;
  readonly maxTotal: number;
  readonly ttlMs: number;
}

export const HELD_LIMITS: HeldLimits = {
  maxPerPeer: MAX_HELD_PER_PEER,
  maxTotal: MAX_HELD_TOTAL,
  ttlMs: HELD_TTL_MS,
};

/**
 * The ledger's side, implemented by the ledger (not here): forgets these held transactions as if never
 * received (PROTOCOL §5), in one store transaction (all or none). Ids no longer held (decided meanwhile,
 * or unknown) are skipped, never an error; a transaction with any other verdict is never touched.
 */
export type DropHeld = (ids: readonly string[]) => Promise<void>;

function oldestFirst(a: HeldEntry, b: HeldEntry): number {
  return a.heldAt - b.heldAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The ids to drop from `held` at `now` (rules 1–3). */
export function heldToDrop(
  held: readonly HeldEntry[],
  now: number,
  misbehaved: ReadonlySet<PeerKey>,
  limits: HeldLimits = HELD_LIMITS,
): string[] {
  const drop: string[] = [];
  const sorted = [...held].sort(oldestFirst);
  // Rule 1.
  const live = sorted.filter((entry) => {
    if (now - entry.heldAt < limits.ttlMs) return true;
    drop.push(entry.id);
    return false;
  });
  // Rule 2: walking newest first, a peer's entries past its bound are its oldest.
  const perPeer = new Map<PeerKey, number>();
  const kept = new Set<HeldEntry>();
  for (let i = live.length - 1; i >= 0; i--) {
    const entry = live[i]!;
    if (entry.from === null) {
      kept.add(entry);
      continue;
    }
    const count = (perPeer.get(entry.from) ?? 0) + 1;
    perPeer.set(entry.from, count);
    if (count <= limits.maxPerPeer) kept.add(entry);
  }
  for (const entry of live) if (!kept.has(entry)) drop.push(entry.id);
  // Rule 3.
  let excess = kept.size - limits.maxTotal;
  if (excess > 0) {
    const rank = (entry: HeldEntry): number => (entry.from === null ? 2 : misbehaved.has(entry.from) ? 0 : 1);
    const order = [...kept].sort((a, b) => rank(a) - rank(b) || oldestFirst(a, b));
    for (const entry of order) {
      if (excess-- <= 0) break;
      drop.push(entry.id);
    }
  }
  return [...new Set(drop)];
}

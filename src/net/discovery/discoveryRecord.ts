// The node's own record of transaction ids it has heard of and does not hold: from the tracker's record
// (how many announces it counted) and from peers (HAVE, reconciliation). It gives the candidates for
// fetching as torrents, and what the catch-up bar counts. Bookkeeping only: no timers, no I/O, the clock
// is handed in.
//
// A tracker record is a hint, never proof: anyone can announce made-up infohashes to it, and a flood of
// them (issue 16: 100,000, each from two addresses) fills it for good. So an id the record lists counts
// as missing only once a peer confirms it, and a record-only id is fetched in a bounded share of the
// fetch budget and given up cheaply (torrentFetchScheduler.ts), then remembered as given up.
//
// === Specification ===
//
// An entry is one id this node does not hold (the ledger does not know it), with:
//   trackerSeen  the largest announce count a tracker reported for it (0: no tracker listed it);
//   peerSeen     how many times peers announced it to this node;
//   firstAt      when it was first noted; offeredAt  when a peer last announced it;
//   parentOf     whether a fetched transaction waits on it (an orphan's parent);
//   tries, retryAt, fetching  the torrent fetch's bookkeeping (torrentFetchScheduler.ts).
// seen(entry) = trackerSeen + peerSeen.
//
//  1. noteTracker(id, count, now) adds the id or raises trackerSeen to `count` (a tracker's count only
//     grows; a lower one changes nothing); an id given up (rule 5) is ignored. notePeer(ids, now) adds
//     each id or adds 1 to its peerSeen, and sets offeredAt. noteParent(id, now) adds the id or marks it
//     parentOf.
//  2. held(id) forgets the id: the ledger knows it now (accepted, rejected or held), whoever brought it.
//  3. An entry is *fetchable* when a tracker listed it or a fetched transaction waits on it: someone
//     announced its torrent, or its child came from one. Ids only peers announced are fetched by gossip
//     from those peers, never as torrents.
//     A fetchable entry is *confirmed* when a peer announced it too; otherwise it is a *hint*. Neither a
//     tracker record nor a peer alone can make an id confirmed: a peer announcing made-up ids is
//     answered by gossip (which asks that peer), a record listing them by a bounded, cheap fetch.
//  4. missing() is the number of confirmed entries: what the catch-up bar counts as known to exist and
//     not yet here (besides what gossip is fetching). Hints are never missing.
//  5. giveUp(entry) forgets the entry and remembers its id in the given-up set: a tracker listing it
//     again (every record page) does not bring it back. The set holds at most MAX_GIVEN_UP ids; past
//     that the oldest given up is forgotten (and may be noted and tried once more).
//  6. The record holds at most MAX_DISCOVERED entries. When a new id would go past that, the
//     EVICT_BATCH entries that are hints before confirmed ones, then least seen, then oldest first noted,
//     (not being fetched) are forgotten in one go; a forgotten id is noted again when it is discovered
//     again. So the work of evicting is amortised over EVICT_BATCH insertions, and a flood of hints,
//     however often the record says they were announced, cannot push out the ids peers confirmed.
//  7. Nothing else grows: the fields above are a fixed number per entry.
//
// Memory at the bound, measured in Node (V8): 200,000 entries take ~71 MiB, ~374 bytes each with its
// 40-character key (a bare Map of the same ids to a number: ~45 MiB); filling 50,000 past the bound
// (four evictions) takes ~250 ms (bench/discovery.bench.ts). The given-up set at its bound holds 200,000
// ids in ~16 MiB (~83 bytes each, what a bare Set of them costs: the same bench). The normal case is far
// below: an id leaves the record as soon as the ledger knows it.

/** Ids the record holds at most. */
export const MAX_DISCOVERED = 200_000;
/** Entries forgotten at once when the record is full: 1/16 of it. */
export const EVICT_BATCH = MAX_DISCOVERED / 16;
/** Given-up ids remembered: a whole record pass of ids (trackerRecordReader.ts reads at most 200,000). */
export const MAX_GIVEN_UP = 200_000;

export interface DiscoveredEntry {
  readonly id: string;
  trackerSeen: number;
  peerSeen: number;
  readonly firstAt: number;
  offeredAt: number;
  parentOf: boolean;
  /** Torrent fetches tried and failed. */
  tries: number;
  /** Not fetched again before this time (backoff). */
  retryAt: number;
  /** Being fetched as a torrent now: never evicted. */
  fetching: boolean;
}

export interface DiscoveryLimits {
  readonly maxEntries: number;
  readonly evictBatch: number;
  readonly maxGivenUp: number;
}

export const DISCOVERY_LIMITS: DiscoveryLimits = {
  maxEntries: MAX_DISCOVERED,
  evictBatch: EVICT_BATCH,
  maxGivenUp: MAX_GIVEN_UP,
};

export function seenOf(entry: DiscoveredEntry): number {
  return entry.trackerSeen + entry.peerSeen;
}

export function isFetchable(entry: DiscoveredEntry): boolean {
  return entry.trackerSeen > 0 || entry.parentOf;
}

/** Rule 3: fetchable and announced by a peer. */
export function isConfirmed(entry: DiscoveredEntry): boolean {
  return entry.peerSeen > 0 && isFetchable(entry);
}

export class DiscoveryRecord {
  private readonly entries = new Map<string, DiscoveredEntry>();
  /** Rule 5, in the order given up (a Set iterates in insertion order: the first is the oldest). */
  private readonly givenUp = new Set<string>();
  private missingCount = 0;
  private evicted = 0;

  constructor(private readonly limits: DiscoveryLimits = DISCOVERY_LIMITS) {}

  /** Rule 1: a tracker counted `count` announces of `id`. */
  noteTracker(id: string, count: number, now: number): void {
    if (this.givenUp.has(id)) return;
    const entry = this.entry(id, now);
    if (count <= entry.trackerSeen) return;
    this.update(entry, () => (entry.trackerSeen = count));
  }

  /** Rule 1: peers announced these ids (ids this node lacks). */
  notePeer(ids: readonly string[], now: number): void {
    for (const id of ids) {
      const entry = this.entry(id, now);
      this.update(entry, () => entry.peerSeen++);
      entry.offeredAt = now;
    }
  }

  /** Rule 1: a fetched transaction waits on `id` (its parent). */
  noteParent(id: string, now: number): void {
    const entry = this.entry(id, now);
    this.update(entry, () => (entry.parentOf = true));
  }

  /** Rule 2: the ledger knows `id` now. */
  held(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (this.counts(entry)) this.missingCount--;
    this.entries.delete(id);
  }

  /** Rule 5: the scheduler's last try failed. */
  giveUp(entry: DiscoveredEntry): void {
    this.held(entry.id);
    this.givenUp.delete(entry.id);
    this.givenUp.add(entry.id);
    if (this.givenUp.size > this.limits.maxGivenUp) {
      this.givenUp.delete(this.givenUp.values().next().value!);
    }
  }

  /** Whether `id` was given up (and is still remembered as such). */
  gaveUpOn(id: string): boolean {
    return this.givenUp.has(id);
  }

  /** Ids remembered as given up. */
  get givenUpCount(): number {
    return this.givenUp.size;
  }

  get(id: string): DiscoveredEntry | undefined {
    return this.entries.get(id);
  }

  /** Every entry, in no particular order (the scheduler scans them). */
  values(): IterableIterator<DiscoveredEntry> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Rule 4. */
  missing(): number {
    return this.missingCount;
  }

  /** Entries forgotten by rule 6 so far. */
  evictions(): number {
    return this.evicted;
  }

  private counts(entry: DiscoveredEntry): boolean {
    return isConfirmed(entry);
  }

  /** Applies `change` to an entry, keeping the missing count right. */
  private update(entry: DiscoveredEntry, change: () => void): void {
    const before = this.counts(entry);
    change();
    const after = this.counts(entry);
    if (before !== after) this.missingCount += after ? 1 : -1;
  }

  private entry(id: string, now: number): DiscoveredEntry {
    let entry = this.entries.get(id);
    if (entry) return entry;
    if (this.entries.size >= this.limits.maxEntries) this.evict();
    entry = {
      id,
      trackerSeen: 0,
      peerSeen: 0,
      firstAt: now,
      offeredAt: -Infinity,
      parentOf: false,
      tries: 0,
      retryAt: -Infinity,
      fetching: false,
    };
    this.entries.set(id, entry);
    return entry;
  }

  /** Rule 6: forgets evictBatch entries not being fetched: hints first, then least seen, oldest first. */
  private evict(): void {
    const rank = (entry: DiscoveredEntry) => (isConfirmed(entry) ? 1 : 0);
    const victims = [...this.entries.values()]
      .filter((entry) => !entry.fetching)
      .sort(
        (a, b) =>
          rank(a) - rank(b) || seenOf(a) - seenOf(b) || a.firstAt - b.firstAt || (a.id < b.id ? -1 : 1),
      )
      .slice(0, this.limits.evictBatch);
    for (const victim of victims) this.held(victim.id);
    this.evicted += victims.length;
  }
}

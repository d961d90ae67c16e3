// Decides which discovered ids to fetch as torrents, and when: the seed's discovery rule (issue 7).
// Bookkeeping only, over a DiscoveryRecord: no timers, no I/O, the clock is handed in.
//
// === Specification ===
//
//  1. An entry is *due* at `now` when it is fetchable (discoveryRecord.ts rule 3), not given up, not
//     being fetched, no gossip peer offers it (`offered(id)` is false), and
//       now >= max(firstAt, offeredAt) + GOSSIP_GRACE_MS   (gossip had its chance: the normal case),
//       now >= retryAt                                       (its backoff is over).
//  2. next(now, gate) returns due ids, most seen first (ties: first noted first, then id), at most
//     MAX_CONCURRENT_FETCHES minus those in flight, and marks them in flight until now + FETCH_TIMEOUT_MS.
//     It returns nothing while `gate.gossipBusy` (gossip is fetching what peers announced: let it finish
//     before opening torrents).
//  3. At most MAX_CONCURRENT_FETCHES ids are in flight at any time.
//  4. done(id) ends a fetch that brought the bytes: the id leaves the scheduler (the ledger holds it now,
//     whatever its verdict; the caller tells the record).
//  5. failed(id, now) ends a fetch that did not: tries + 1; after MAX_FETCH_TRIES tries the entry is
//     given up (kept in the record, so a tracker listing it again does not revive it, until evicted);
//     otherwise it is due again no sooner than now + RETRY_BASE_MS × 2^(tries − 1), at most
//     MAX_RETRY_MS.
//  6. expire(now) returns the ids in flight whose time is out (deadline <= now) and fails each (rule 5):
//     the caller cancels their torrents.
//  7. State beyond the record: the in-flight map, at most MAX_CONCURRENT_FETCHES entries.
// Work: next() scans the record once (O(entries)), and only when a slot is free.
import { isFetchable, seenOf, type DiscoveredEntry, type DiscoveryRecord } from './discoveryRecord.ts';

/** Torrents fetched at once: each opens up to FETCH_OFFERS WebRTC offers, so ≤ 8 of a tab's 30 connections. */
export const MAX_CONCURRENT_FETCHES = 4;
/** How long one torrent fetch may take (tracker round trip, WebRTC set-up, metadata, one ≤ 1 KiB piece). */
export const FETCH_TIMEOUT_MS = 45_000;
/** How long after discovery (or a peer's last offer) gossip has to deliver an id before a torrent is tried. */
export const GOSSIP_GRACE_MS = 30_000;
/** The wait after a first failed fetch; it doubles with each failure. */
export const RETRY_BASE_MS = 60_000;
export const MAX_RETRY_MS = 30 * 60_000;
/** Fetches of one id that may fail before it is given up. */
export const MAX_FETCH_TRIES = 5;

export interface FetchLimits {
  readonly maxConcurrent: number;
  readonly fetchTimeoutMs: number;
  readonly gossipGraceMs: number;
  readonly retryBaseMs: number;
  readonly maxRetryMs: number;
  readonly maxTries: number;
}

export const FETCH_LIMITS: FetchLimits = {
  maxConcurrent: MAX_CONCURRENT_FETCHES,
  fetchTimeoutMs: FETCH_TIMEOUT_MS,
  gossipGraceMs: GOSSIP_GRACE_MS,
  retryBaseMs: RETRY_BASE_MS,
  maxRetryMs: MAX_RETRY_MS,
  maxTries: MAX_FETCH_TRIES,
};

export interface FetchGate {
  /** Whether a gossip peer offers this id now (it is announced in the request tracker). */
  readonly offered: (id: string) => boolean;
  /** Whether gossip is fetching announced ids now. */
  readonly gossipBusy: boolean;
}

/** The order of rule 2: most seen first, then first noted, then id. */
function before(a: DiscoveredEntry, b: DiscoveredEntry): boolean {
  const seen = seenOf(a) - seenOf(b);
  if (seen !== 0) return seen > 0;
  if (a.firstAt !== b.firstAt) return a.firstAt < b.firstAt;
  return a.id < b.id;
}

export class TorrentFetchScheduler {
  /** Rule 7: id → deadline. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly record: DiscoveryRecord,
    readonly limits: FetchLimits = FETCH_LIMITS,
  ) {}

  /** Rules 1–3. */
  next(now: number, gate: FetchGate): string[] {
    const room = this.limits.maxConcurrent - this.inFlight.size;
    if (room <= 0 || gate.gossipBusy) return [];
    // The `room` best due entries, kept sorted (room is at most a handful).
    const best: DiscoveredEntry[] = [];
    for (const entry of this.record.values()) {
      if (!this.isDue(entry, now)) continue;
      if (best.length === room && !before(entry, best[room - 1]!)) continue;
      if (gate.offered(entry.id)) continue;
      let at = best.length;
      while (at > 0 && before(entry, best[at - 1]!)) at--;
      best.splice(at, 0, entry);
      if (best.length > room) best.pop();
    }
    for (const entry of best) {
      entry.fetching = true;
      this.inFlight.set(entry.id, now + this.limits.fetchTimeoutMs);
    }
    return best.map((entry) => entry.id);
  }

  /** Rule 4. */
  done(id: string): void {
    this.inFlight.delete(id);
    const entry = this.record.get(id);
    if (entry) entry.fetching = false;
  }

  /** Rule 5. */
  failed(id: string, now: number): void {
    if (!this.inFlight.delete(id)) return;
    const entry = this.record.get(id);
    if (!entry) return;
    entry.fetching = false;
    entry.tries++;
    if (entry.tries >= this.limits.maxTries) return this.record.giveUp(entry);
    const wait = Math.min(this.limits.retryBaseMs * 2 ** (entry.tries - 1), this.limits.maxRetryMs);
    entry.retryAt = now + wait;
  }

  /** Rule 6. */
  expire(now: number): string[] {
    const timedOut = [...this.inFlight].filter(([, deadline]) => deadline <= now).map(([id]) => id);
    for (const id of timedOut) this.failed(id, now);
    return timedOut;
  }

  get fetching(): number {
    return this.inFlight.size;
  }

  isFetching(id: string): boolean {
    return this.inFlight.has(id);
  }

  private isDue(entry: DiscoveredEntry, now: number): boolean {
    return (
      isFetchable(entry) &&
      !entry.gaveUp &&
      !entry.fetching &&
      now >= Math.max(entry.firstAt, entry.offeredAt) + this.limits.gossipGraceMs &&
      now >= entry.retryAt
    );
  }
}

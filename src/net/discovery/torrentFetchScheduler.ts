// Decides which discovered ids to fetch as torrents, and when: the seed's discovery rule (issue 7), with
// record ids taken as hints (issue 16 item 5). Bookkeeping only, over a DiscoveryRecord: no timers, no
// I/O, the clock is handed in.
//
// === Specification ===
//
//  1. An entry is *due* at `now` when it is fetchable (discoveryRecord.ts rule 3), not being fetched, no
//     gossip peer offers it (`offered(id)` is false), and
//       now >= max(firstAt, offeredAt) + GOSSIP_GRACE_MS   (gossip had its chance: the normal case),
//       now >= retryAt                                       (its backoff is over).
//  2. next(now, gate) returns due ids, confirmed ones before hints, then most seen first (ties: first
//     noted first, then id), at most MAX_CONCURRENT_FETCHES minus those in flight, of which hints at
//     most MAX_HINT_FETCHES minus the hints in flight; it marks them in flight until now +
//     FETCH_TIMEOUT_MS. So a record full of made-up ids holds at most MAX_HINT_FETCHES slots, and what
//     peers confirmed is fetched first. It returns nothing while `gate.gossipBusy` (gossip is fetching
//     what peers announced: let it finish before opening torrents).
//  3. At most MAX_CONCURRENT_FETCHES ids are in flight at any time, of them at most MAX_HINT_FETCHES
//     hints (counted as they were when they started).
//  4. done(id) ends a fetch that brought the bytes: the id leaves the scheduler (the ledger holds it now,
//     whatever its verdict; the caller tells the record).
//  5. failed(id, now, noPeer) ends a fetch that did not: tries + 1. The entry is given up
//     (discoveryRecord.ts rule 5) when the trackers know nobody to fetch it from (`noPeer`: what a
//     made-up id gives, at the cost of one announce; a real one a peer confirmed still comes by gossip
//     from any peer that holds it, so a peer confirming made-up ids costs one fetch each), or after
//     MAX_HINT_TRIES tries of a hint, MAX_FETCH_TRIES of a confirmed entry. Otherwise it is due again no
//     sooner than now + RETRY_BASE_MS × 2^(tries − 1), at most MAX_RETRY_MS.
//  6. expire(now) returns the ids in flight whose time is out (deadline <= now) and fails each (rule 5,
//     an ordinary failure): the caller cancels their torrents.
//  7. State beyond the record: the in-flight map, at most MAX_CONCURRENT_FETCHES entries.
// Work: next() scans the record once (O(entries)), and only when a slot is free.
import {
  isConfirmed,
  isFetchable,
  seenOf,
  type DiscoveredEntry,
  type DiscoveryRecord,
} from './discoveryRecord.ts';

/** Torrents fetched at once: each opens up to FETCH_OFFERS WebRTC offers, so ≤ 8 of a tab's 30 connections. */
export const MAX_CONCURRENT_FETCHES = 4;
/**
 * Of those, fetches of hints (ids only a tracker record lists) at once: a poisoned record holds at most
 * this many slots, and the others stay for what peers confirmed.
 */
export const MAX_HINT_FETCHES = 1;
/** How long one torrent fetch may take (tracker round trip, WebRTC set-up, metadata, one ≤ 1 KiB piece). */
export const FETCH_TIMEOUT_MS = 45_000;
/** How long after discovery (or a peer's last offer) gossip has to deliver an id before a torrent is tried. */
export const GOSSIP_GRACE_MS = 30_000;
/** The wait after a first failed fetch; it doubles with each failure. */
export const RETRY_BASE_MS = 60_000;
export const MAX_RETRY_MS = 30 * 60_000;
/** Fetches of one confirmed id that may fail before it is given up. */
export const MAX_FETCH_TRIES = 5;
/** Fetches of one hint that may fail (having found a peer) before it is given up. */
export const MAX_HINT_TRIES = 2;

export interface FetchLimits {
  readonly maxConcurrent: number;
  readonly maxHintFetches: number;
  readonly fetchTimeoutMs: number;
  readonly gossipGraceMs: number;
  readonly retryBaseMs: number;
  readonly maxRetryMs: number;
  readonly maxTries: number;
  readonly maxHintTries: number;
}

export const FETCH_LIMITS: FetchLimits = {
  maxConcurrent: MAX_CONCURRENT_FETCHES,
  maxHintFetches: MAX_HINT_FETCHES,
  fetchTimeoutMs: FETCH_TIMEOUT_MS,
  gossipGraceMs: GOSSIP_GRACE_MS,
  retryBaseMs: RETRY_BASE_MS,
  maxRetryMs: MAX_RETRY_MS,
  maxTries: MAX_FETCH_TRIES,
  maxHintTries: MAX_HINT_TRIES,
};

export interface FetchGate {
  /** Whether a gossip peer offers this id now (it is announced in the request tracker). */
  readonly offered: (id: string) => boolean;
  /** Whether gossip is fetching announced ids now. */
  readonly gossipBusy: boolean;
}

/** The order of rule 2: confirmed first, then most seen, then first noted, then id. */
function before(a: DiscoveredEntry, b: DiscoveredEntry): boolean {
  const confirmed = Number(isConfirmed(a)) - Number(isConfirmed(b));
  if (confirmed !== 0) return confirmed > 0;
  const seen = seenOf(a) - seenOf(b);
  if (seen !== 0) return seen > 0;
  if (a.firstAt !== b.firstAt) return a.firstAt < b.firstAt;
  return a.id < b.id;
}

export class TorrentFetchScheduler {
  /** Rule 7: id → its deadline, and whether it was a hint when it started. */
  private readonly inFlight = new Map<string, { readonly deadline: number; readonly hint: boolean }>();
  private hintsInFlight = 0;

  constructor(
    private readonly record: DiscoveryRecord,
    readonly limits: FetchLimits = FETCH_LIMITS,
  ) {}

  /** Rules 1–3. */
  next(now: number, gate: FetchGate): string[] {
    const room = this.limits.maxConcurrent - this.inFlight.size;
    if (room <= 0 || gate.gossipBusy) return [];
    const hintRoom = Math.min(room, this.limits.maxHintFetches - this.hintsInFlight);
    // The `room` best due confirmed entries and the `hintRoom` best due hints, each kept sorted (room
    // is at most a handful); confirmed ones then come first.
    const confirmed: DiscoveredEntry[] = [];
    const hints: DiscoveredEntry[] = [];
    for (const entry of this.record.values()) {
      if (!this.isDue(entry, now)) continue;
      const [best, max] = isConfirmed(entry) ? [confirmed, room] : [hints, hintRoom];
      if (max <= 0 || (best.length === max && !before(entry, best[max - 1]!))) continue;
      if (gate.offered(entry.id)) continue;
      let at = best.length;
      while (at > 0 && before(entry, best[at - 1]!)) at--;
      best.splice(at, 0, entry);
      if (best.length > max) best.pop();
    }
    const chosen = [...confirmed, ...hints].slice(0, room);
    for (const entry of chosen) {
      const hint = !isConfirmed(entry);
      if (hint) this.hintsInFlight++;
      entry.fetching = true;
      this.inFlight.set(entry.id, { deadline: now + this.limits.fetchTimeoutMs, hint });
    }
    return chosen.map((entry) => entry.id);
  }

  /** Rule 4. */
  done(id: string): void {
    this.end(id);
    const entry = this.record.get(id);
    if (entry) entry.fetching = false;
  }

  /** Rule 5. */
  failed(id: string, now: number, noPeer = false): void {
    if (!this.end(id)) return;
    const entry = this.record.get(id);
    if (!entry) return;
    entry.fetching = false;
    entry.tries++;
    const hint = !isConfirmed(entry);
    const maxTries = hint ? this.limits.maxHintTries : this.limits.maxTries;
    if (noPeer || entry.tries >= maxTries) return this.record.giveUp(entry);
    const wait = Math.min(this.limits.retryBaseMs * 2 ** (entry.tries - 1), this.limits.maxRetryMs);
    entry.retryAt = now + wait;
  }

  /** Rule 6. */
  expire(now: number): string[] {
    const timedOut = [...this.inFlight].filter(([, fetch]) => fetch.deadline <= now).map(([id]) => id);
    for (const id of timedOut) this.failed(id, now);
    return timedOut;
  }

  /** Takes `id` out of flight; false if it was not in flight. */
  private end(id: string): boolean {
    const fetch = this.inFlight.get(id);
    if (!fetch) return false;
    this.inFlight.delete(id);
    if (fetch.hint) this.hintsInFlight--;
    return true;
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
      !entry.fetching &&
      now >= Math.max(entry.firstAt, entry.offeredAt) + this.limits.gossipGraceMs &&
      now >= entry.retryAt
    );
  }
}

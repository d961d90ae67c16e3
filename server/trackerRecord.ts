// The tracker's persisted record of every infohash announced to it, with how often, when, and by how
// many distinct sources. A swarm in bittorrent-tracker lives only in memory; this record survives
// restarts, so a node can tell which transactions the network has ever carried. Written atomically and
// debounced; served in pages from a cached snapshot.
//
// Specification (every sentence is checked by test/server/trackerLimits.test.ts and
// test/net/attacksTrackerRecord.test.ts):
// - A source is an IPv4 address or an IPv6 /64 (sourceKeyOf). Each entry keeps the first
//   RECORD_SOURCES_KEPT distinct sources that announced it (`by`); `sources` in the public view is how
//   many of them are known (capped there; 0 for entries of a version 1 file, where nobody was counted).
// - An entry is *owned* by the source that recorded it (`by[0]`) for as long as it is on record: the
//   entry is charged to that source's credit whoever else announces it. (Ownership used to end at a
//   second source; 50 flooding addresses announcing each other's infohashes then made the whole record
//   permanent and locked every honest source out.) Entries of a version 1 file have no owner.
// - A source's credit is RECORD_OWNED_PER_SOURCE entries. A source at its credit that records a new
//   infohash gives up its own least recently announced entry for it.
// - Expiry: an entry nobody announced for `ttlMs` (RECORD_TTL_MS, 24 h) is expired and removed. The
//   latest announce (`lastSeen`) is persisted, so expiry counts the time the tracker was down too.
// - A source records at most RECORD_NEW_PER_SOURCE new infohashes (token bucket: a burst, then a rate per
//   minute); past that its new infohashes are refused. Announces of recorded infohashes are always
//   counted: they cost no room.
// - The record holds at most RECORD_MAX_ENTRIES. When full, a new infohash from source S evicts, in this
//   order: an entry without owner (version 1 file); else the least recently announced entry of the
//   source L that has spent the largest share of its credit, if that share is larger than S's; else it
//   is refused. So however many addresses flood, a source holding fewer entries than each flooder keeps
//   all of its entries and can add new ones; a flooder's re-announces keep its entries from expiring but
//   buy it no protection.
// - Known nodes (the operator's own full nodes, `isKnown`: the tracker's --known-node list) have an
//   allowance of their own instead: a credit of `knownOwnedPerSource` entries (RECORD_KNOWN_OWNED, the
//   whole record) and `knownNewPerSource` new infohashes (RECORD_KNOWN_NEW: a node holding 100,000
//   transactions records them all within two minutes). A known source's share is counted against its
//   own credit; its entries are pushed out only for another known source's (by share, as below), never
//   for an unknown source's: a flood from any number of addresses cannot take a node's history off the
//   record. Every other source keeps the limits above.
// - Refused means note() returns the reason; the tracker then refuses the announce (no swarm is made).
// - Memory: entries ≤ RECORD_MAX_ENTRIES, each with ≤ RECORD_SOURCES_KEPT source keys; the owner index
//   holds each entry once; the per-source new-infohash buckets are forgotten once full again
//   (KeyedRateLimiter); the known owners are a subset of the owners; the page snapshot is one array of the entries, rebuilt at most every
//   RECORD_SNAPSHOT_MS and only after a change. Both the entries and each owner's set are kept in order
//   of the latest announce (a Map or Set re-inserted on each announce), so the stalest is the first.
import { join } from 'node:path';
import { DataFileError } from './dataFileError.ts';
import { DebouncedWriter } from './debouncedWriter.ts';
import { KeyedRateLimiter, type RateLimit } from './keyedRateLimiter.ts';
import { readJsonFile } from './readJsonFile.ts';

export const TRACKER_RECORD_FILE = 'tracker-record.json';
export const RECORD_MAX_ENTRIES = 100_000;
export const RECORD_OWNED_PER_SOURCE = 10_000;
/** A page seeding its whole history to a tracker that never saw it announces that many at once. */
export const RECORD_NEW_PER_SOURCE: RateLimit = { burst: 2000, perMinute: 120 };
/** A known node may own the whole record. */
export const RECORD_KNOWN_OWNED = RECORD_MAX_ENTRIES;
/** A known node announcing its whole history: 10,000 at once, then 1,000 a second. */
export const RECORD_KNOWN_NEW: RateLimit = { burst: 10_000, perMinute: 60_000 };
export const RECORD_SOURCES_KEPT = 4;
/** An entry nobody announced for a day is expired (a page re-announces its seeds every few minutes). */
export const RECORD_TTL_MS = 24 * 60 * 60 * 1000;
export const RECORD_SNAPSHOT_MS = 5000;
export const RECORD_PAGE_DEFAULT = 1000;
export const RECORD_PAGE_MAX = 5000;

/** What the record says of one infohash, publicly (no source addresses). */
export interface InfoHashSeen {
  /** Announces counted for this infohash, of any event (started, update, completed, stopped, paused). */
  readonly count: number;
  /** Milliseconds since the epoch of the first and the latest announce. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Distinct sources known to have announced it, up to RECORD_SOURCES_KEPT (0: not counted). */
  readonly sources: number;
}

interface Entry {
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Source keys, first the one that recorded it; empty when loaded from a version 1 file. */
  readonly by: readonly string[];
}

/** The file's shape: source keys stay on the server's disk and are never served. */
interface TrackerRecordFile {
  readonly version: 2;
  readonly infoHashes: Record<string, Entry>;
}

/** What one page of GET /api/tracker/record answers. */
export interface TrackerRecordPage {
  readonly version: 2;
  /** Entries in the snapshot this page was cut from. */
  readonly total: number;
  /** Up to `limit` entries, in infohash order, after the `after` asked for. */
  readonly infoHashes: Record<string, InfoHashSeen>;
  /** Pass as `after` for the next page; null on the last. */
  readonly next: string | null;
}

export interface TrackerRecordOptions {
  readonly dataDir: string;
  readonly delayMs?: number;
  readonly maxEntries?: number;
  /** A source's credit: entries it may own. */
  readonly ownedPerSource?: number;
  readonly newPerSource?: RateLimit;
  /** Whether a source key is a known node's (its allowance is the two below). Default: none is. */
  readonly isKnown?: (source: string) => boolean;
  /** A known node's credit. Default RECORD_KNOWN_OWNED. */
  readonly knownOwnedPerSource?: number;
  /** New infohashes a known node may record. Default RECORD_KNOWN_NEW. */
  readonly knownNewPerSource?: RateLimit;
  /** An entry not announced for this long is expired. Default RECORD_TTL_MS. */
  readonly ttlMs?: number;
  readonly now?: () => number;
  readonly onError: (err: unknown) => void;
}

export type RecordDecision = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const INFO_HASH = /^[0-9a-f]{40}$/;

function isTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function parseRecord(path: string, value: unknown): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  if (value === undefined) return entries;
  const json = value as { version?: unknown; infoHashes?: unknown } | null;
  if (
    json === null ||
    typeof json !== 'object' ||
    (json.version !== 1 && json.version !== 2) ||
    typeof json.infoHashes !== 'object' ||
    json.infoHashes === null
  ) {
    throw new DataFileError(path, 'not a version 1 or 2 tracker record');
  }
  for (const [infoHash, seen] of Object.entries(json.infoHashes as Record<string, Partial<Entry>>)) {
    const by = json.version === 1 ? [] : seen.by;
    if (
      !INFO_HASH.test(infoHash) ||
      !Number.isSafeInteger(seen.count) ||
      seen.count! < 1 ||
      !isTime(seen.firstSeen) ||
      !isTime(seen.lastSeen) ||
      !Array.isArray(by) ||
      by.length > RECORD_SOURCES_KEPT ||
      !by.every((s) => typeof s === 'string' && s.length <= 64)
    ) {
      throw new DataFileError(
        path,
        `entry ${JSON.stringify(infoHash)} is not {count, firstSeen, lastSeen, by}`,
      );
    }
    entries.set(infoHash, { count: seen.count!, firstSeen: seen.firstSeen, lastSeen: seen.lastSeen, by });
  }
  // Kept in order of the latest announce, stalest first (expiry and eviction take from the front).
  return new Map([...entries].sort((a, b) => a[1].lastSeen - b[1].lastSeen));
}

/** Owner key of the entries of a version 1 file, which name no source (sourceKeyOf never answers ''). */
const NO_OWNER = '';

function ownerOf(entry: Entry): string {
  return entry.by[0] ?? NO_OWNER;
}

function publicOf(entry: Entry): InfoHashSeen {
  return {
    count: entry.count,
    firstSeen: entry.firstSeen,
    lastSeen: entry.lastSeen,
    sources: entry.by.length,
  };
}

export class TrackerRecord {
  private readonly writer: DebouncedWriter;
  private readonly maxEntries: number;
  private readonly ownedPerSource: number;
  private readonly ttlMs: number;
  private readonly newPerSource: KeyedRateLimiter;
  private readonly isKnown: (source: string) => boolean;
  private readonly knownOwnedPerSource: number;
  private readonly knownNewPerSource: KeyedRateLimiter;
  /** The owners that are known nodes: eviction compares shares without asking isKnown per owner. */
  private readonly knownOwners = new Set<string>();
  private readonly now: () => number;
  /** Owner → the entries it owns, least recently announced first. No empty sets. */
  private readonly owned = new Map<string, Set<string>>();
  private snapshot: { readonly at: number; readonly rows: readonly [string, InfoHashSeen][] } | undefined;
  private changedSinceSnapshot = true;

  private constructor(
    readonly path: string,
    /** Least recently announced first. */
    private readonly entries: Map<string, Entry>,
    options: TrackerRecordOptions,
  ) {
    this.maxEntries = options.maxEntries ?? RECORD_MAX_ENTRIES;
    this.ownedPerSource = options.ownedPerSource ?? RECORD_OWNED_PER_SOURCE;
    this.ttlMs = options.ttlMs ?? RECORD_TTL_MS;
    this.now = options.now ?? Date.now;
    this.newPerSource = new KeyedRateLimiter(options.newPerSource ?? RECORD_NEW_PER_SOURCE);
    this.isKnown = options.isKnown ?? (() => false);
    this.knownOwnedPerSource = options.knownOwnedPerSource ?? RECORD_KNOWN_OWNED;
    this.knownNewPerSource = new KeyedRateLimiter(options.knownNewPerSource ?? RECORD_KNOWN_NEW);
    for (const [infoHash, entry] of entries) this.own(ownerOf(entry), infoHash);
    this.writer = new DebouncedWriter({
      path,
      render: () => JSON.stringify(this.toFile()),
      delayMs: options.delayMs ?? 1000,
      onError: options.onError,
    });
    if (this.expire(this.now())) this.changed();
  }

  /** Loads the record of a data folder (empty if it has none yet); entries expired meanwhile are dropped. */
  static async open(options: TrackerRecordOptions): Promise<TrackerRecord> {
    const path = join(options.dataDir, TRACKER_RECORD_FILE);
    return new TrackerRecord(path, parseRecord(path, await readJsonFile(path)), options);
  }

  /** Counts one announce of `infoHash` (40 lowercase hex, as bittorrent-tracker reports it) by `source`. */
  note(infoHash: string, source: string): RecordDecision {
    if (!INFO_HASH.test(infoHash)) return { ok: false, reason: 'not a 40-hex infohash' };
    const now = this.now();
    if (this.expire(now)) this.changed();
    const seen = this.entries.get(infoHash);
    if (seen !== undefined) {
      let by = seen.by;
      if (by.length > 0 && by.length < RECORD_SOURCES_KEPT && !by.includes(source)) by = [...by, source];
      // Re-inserted so both orders stay "least recently announced first".
      this.entries.delete(infoHash);
      this.entries.set(infoHash, {
        count: seen.count + 1,
        firstSeen: seen.firstSeen,
        lastSeen: Math.max(now, seen.lastSeen),
        by,
      });
      this.own(ownerOf(seen), infoHash);
      this.changed();
      return { ok: true };
    }
    const known = this.isKnown(source);
    const mine = this.owned.get(source)?.size ?? 0;
    let victim: string | undefined;
    if (mine >= this.creditOf(known)) victim = this.owned.get(source)!.values().next().value;
    else if (this.entries.size >= this.maxEntries) {
      victim = this.victimFor(known, mine);
      if (victim === undefined) return { ok: false, reason: 'the tracker record is full' };
    }
    const limiter = known ? this.knownNewPerSource : this.newPerSource;
    if (!limiter.take(source).ok) {
      return {
        ok: false,
        reason: `more than ${limiter.limit.perMinute} new infohashes a minute from this address`,
      };
    }
    if (victim !== undefined) this.remove(victim);
    this.entries.set(infoHash, { count: 1, firstSeen: now, lastSeen: now, by: [source] });
    this.own(source, infoHash);
    this.changed();
    return { ok: true };
  }

  get(infoHash: string): InfoHashSeen | undefined {
    const entry = this.entries.get(infoHash);
    return entry && publicOf(entry);
  }

  get size(): number {
    return this.entries.size;
  }

  /** How many entries `source` owns (recorded first by it). */
  ownedBy(source: string): number {
    return this.owned.get(source)?.size ?? 0;
  }

  /**
   * Up to `limit` entries after `after` (exclusive), in infohash order, from a snapshot at most
   * RECORD_SNAPSHOT_MS old: a thousand readers cost one sort, not a thousand copies of the record.
   */
  page(after: string | undefined, limit: number): TrackerRecordPage {
    const rows = this.rows();
    let lo = 0;
    let hi = rows.length;
    if (after !== undefined) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (rows[mid]![0] <= after) lo = mid + 1;
        else hi = mid;
      }
    }
    const slice = rows.slice(lo, lo + limit);
    const end = lo + slice.length;
    return {
      version: 2,
      total: rows.length,
      infoHashes: Object.fromEntries(slice),
      next: end < rows.length ? slice[slice.length - 1]![0] : null,
    };
  }

  /** Writes pending changes now. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  private rows(): readonly [string, InfoHashSeen][] {
    if (this.expire(this.now())) this.changedSinceSnapshot = true;
    const now = performance.now();
    if (
      this.snapshot === undefined ||
      (this.changedSinceSnapshot && now - this.snapshot.at >= RECORD_SNAPSHOT_MS)
    ) {
      const rows = [...this.entries].map(([infoHash, entry]): [string, InfoHashSeen] => [
        infoHash,
        publicOf(entry),
      ]);
      rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      this.snapshot = { at: now, rows };
      this.changedSinceSnapshot = false;
    }
    return this.snapshot.rows;
  }

  /**
   * Removes the entries not announced for ttlMs, from the front of the record; true if any was. Cheap
   * when none is: one look at the first entry.
   */
  private expire(now: number): boolean {
    let any = false;
    for (const [infoHash, entry] of this.entries) {
      if (now - entry.lastSeen < this.ttlMs) break;
      this.remove(infoHash);
      any = true;
    }
    return any;
  }

  /**
   * What a new entry of a source (known or not, owning `mine`) may push out of a full record: an entry without owner,
   * else the least recently announced entry of the owner that has spent the largest share of its
   * credit, if that is more than the source has spent; a known node's only for a known source.
   */
  private victimFor(known: boolean, mine: number): string | undefined {
    const unowned = this.owned.get(NO_OWNER);
    if (unowned !== undefined) return unowned.values().next().value;
    let largest: Set<string> | undefined;
    let largestShare = mine / this.creditOf(known);
    for (const [owner, set] of this.owned) {
      if (!known && this.knownOwners.has(owner)) continue;
      const share = set.size / this.creditOf(this.knownOwners.has(owner));
      if (share > largestShare) [largest, largestShare] = [set, share];
    }
    return largest?.values().next().value;
  }

  /** The entries a source may own: a known node's allowance or everyone else's. */
  private creditOf(known: boolean): number {
    return known ? this.knownOwnedPerSource : this.ownedPerSource;
  }

  private remove(infoHash: string): void {
    const entry = this.entries.get(infoHash);
    if (entry === undefined) return;
    this.disown(ownerOf(entry), infoHash);
    this.entries.delete(infoHash);
  }

  /** Adds `infoHash` to its owner's set, or moves it to the end (most recently announced). */
  private own(owner: string, infoHash: string): void {
    let set = this.owned.get(owner);
    if (set === undefined) {
      this.owned.set(owner, (set = new Set()));
      if (owner !== NO_OWNER && this.isKnown(owner)) this.knownOwners.add(owner);
    }
    set.delete(infoHash);
    set.add(infoHash);
  }

  private disown(owner: string, infoHash: string): void {
    const set = this.owned.get(owner);
    set?.delete(infoHash);
    if (set?.size === 0) {
      this.owned.delete(owner);
      this.knownOwners.delete(owner);
    }
  }

  private changed(): void {
    this.changedSinceSnapshot = true;
    this.writer.schedule();
  }

  private toFile(): TrackerRecordFile {
    return { version: 2, infoHashes: Object.fromEntries(this.entries) };
  }
}

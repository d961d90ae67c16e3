// The seed's discovery rule (issue 7): the node learns which transactions exist from its tracker's
// record and from its peers, keeps its own bounded record of the ids it lacks (discoveryRecord.ts), and
// fetches the ids no gossip peer offers as torrents, a few at a time (torrentFetchScheduler.ts). A fetched
// transaction goes through the gossip's ledger path (TxGossip.receiveFetched): the ledger decides it like
// any other, and only a valid one is stored as good.
//
// The tracker record is a hint (issue 16 item 5): anyone can fill it with made-up ids. An id only the
// record lists never counts as missing (the catch-up bar counts what peers confirmed), is fetched in at
// most MAX_HINT_FETCHES of the fetch slots, and is given up at its first fetch that finds no seeder
// (one announce: fetchTxTorrent.ts), then remembered as given up (a bounded set). With `probeSwarms` (the
// trackers' scrape), each record page's hints are asked about first, PROBE_BATCH per message, and those
// nobody holds are given up without any fetch: a poisoned record of 100,000 ids costs ~200 scrapes.
//
// Cost, bounded: the tracker record is read at most one page a second (trackerRecordReader.ts), each page
// checked against the ledger in one call; the scheduler runs every DISCOVERY_TICK_MS; at most
// MAX_CONCURRENT_FETCHES torrents are fetched at once, each for at most FETCH_TIMEOUT_MS.
import type { GossipLedger } from '../gossipLedger.ts';
import type { TxGossip } from '../txGossip.ts';
import type { WebTorrentLike } from '../webTorrentTypes.ts';
import { DiscoveryRecord } from './discoveryRecord.ts';
import { isConfirmed } from './discoveryRecord.ts';
import { fetchTxTorrent } from './fetchTxTorrent.ts';
import type { ProbeSwarms } from './scrapeSwarms.ts';
import { FETCH_LIMITS, TorrentFetchScheduler, type FetchLimits } from './torrentFetchScheduler.ts';
import {
  fetchRecordPage,
  RECORD_PAGE_LIMIT,
  TrackerRecordReader,
  type FetchPage,
  type RecordPage,
  type RecordReaderTiming,
} from './trackerRecordReader.ts';

/** How often due ids are looked for and timed-out fetches ended. */
export const DISCOVERY_TICK_MS = 1000;
/**
 * Hints asked about in one scrape: an infohash takes ~46 bytes of the message's JSON (binary string,
 * escaped), so ~23 KiB, under the tracker's 64 KiB message bound; the answer ~90 bytes each.
 */
export const PROBE_BATCH = 500;
/** After a scrape failed (a tracker did not answer), pages go unprobed this long: fetches tell instead. */
export const PROBE_PAUSE_MS = 60_000;

export interface DiscoveryOptions {
  /** The tracker record's URL (GET /api/tracker/record on the network's app server), if it has one. */
  readonly recordUrl?: string;
  /** Reads pages another way (tests); default: fetchRecordPage of recordUrl. */
  readonly fetchPage?: FetchPage;
  /** Asks the trackers who holds each hint of a page (scrapeSwarms.ts); without it, fetches tell. */
  readonly probeSwarms?: ProbeSwarms;
  readonly readerTiming?: RecordReaderTiming;
  /** Any limit not given is the default (FETCH_LIMITS). */
  readonly fetchLimits?: Partial<FetchLimits>;
  readonly tickMs?: number;
  readonly clock?: () => number;
}

export interface DiscoveryStatus {
  /** Ids in the node's record (it lacks them): from the tracker and from peers. */
  readonly discovered: number;
  /** Of those, ids a peer confirmed (discoveryRecord.ts rule 4): what the catch-up bar counts. */
  readonly missing: number;
  /** Ids given up (no seeder, or every try failed), remembered so that the record does not revive them. */
  readonly givenUp: number;
  /** Torrents being fetched now. */
  readonly fetching: number;
  /** Transactions fetched as torrents and handed to the ledger. */
  readonly fetched: number;
  /** Torrent fetches that failed (timed out, or not a transaction). */
  readonly failedFetches: number;
  /** Of the given up, those a scrape showed nobody holds (never fetched). */
  readonly probedAway: number;
  /** Whole passes over the tracker's record so far. */
  readonly recordPasses: number;
  /** Entries in the tracker's record at its last page; null before any. */
  readonly trackerTotal: number | null;
  /** Why the tracker record could not be read, if it could not. */
  readonly recordError: string | null;
}

export interface DiscoveryDeps {
  readonly client: WebTorrentLike;
  readonly gossip: TxGossip;
  readonly ledger: GossipLedger;
  readonly trackers: readonly string[];
  readonly onChange?: () => void;
  readonly onMisbehaviour?: (peerId: string, problem: string) => void;
}

export class TxDiscovery {
  readonly record = new DiscoveryRecord();
  readonly scheduler: TorrentFetchScheduler;
  private readonly reader: TrackerRecordReader | undefined;
  private readonly aborts = new Map<string, AbortController>();
  private readonly clock: () => number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private fetched = 0;
  private failedFetches = 0;
  private probedAway = 0;
  private probePausedUntil = -Infinity;
  private stopped = false;

  constructor(
    private readonly deps: DiscoveryDeps,
    private readonly options: DiscoveryOptions = {},
  ) {
    this.clock = options.clock ?? (() => Date.now());
    this.scheduler = new TorrentFetchScheduler(this.record, { ...FETCH_LIMITS, ...options.fetchLimits });
    const recordUrl = options.recordUrl;
    const fetchPage =
      options.fetchPage ??
      (recordUrl === undefined ? undefined : (after, limit) => fetchRecordPage(recordUrl, after, limit));
    if (fetchPage)
      this.reader = new TrackerRecordReader(fetchPage, (page) => this.onPage(page), options.readerTiming);
  }

  start(): void {
    this.reader?.start();
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? DISCOVERY_TICK_MS);
  }

  destroy(): void {
    this.stopped = true;
    this.reader?.stop();
    clearInterval(this.timer);
    for (const abort of this.aborts.values()) abort.abort();
  }

  /** Ids peers announced that this node lacks (gossip's HAVE and reconciliation). */
  noteAnnounced(ids: readonly string[]): void {
    this.record.notePeer(ids, this.clock());
  }

  /** Ids the ledger now holds (accepted through gossip, a torrent, or the wallet). */
  noteHeld(ids: readonly string[]): void {
    let changed = false;
    for (const id of ids) {
      if (this.record.get(id)) changed = true;
      this.record.held(id);
    }
    if (changed) this.deps.onChange?.();
  }

  status(): DiscoveryStatus {
    const reader = this.reader?.state();
    return {
      discovered: this.record.size,
      missing: this.record.missing(),
      givenUp: this.record.givenUpCount,
      probedAway: this.probedAway,
      fetching: this.scheduler.fetching,
      fetched: this.fetched,
      failedFetches: this.failedFetches,
      recordPasses: reader?.passes ?? 0,
      trackerTotal: reader?.total ?? null,
      recordError: reader?.error ?? null,
    };
  }

  /**
   * One page of the tracker record: its ids the ledger does not know join the record. A page from a full
   * scrape can hold every swarm at once: it is checked RECORD_PAGE_LIMIT ids per ledger call.
   */
  private async onPage(page: RecordPage): Promise<void> {
    for (let at = 0; at < page.entries.length && !this.stopped; at += RECORD_PAGE_LIMIT) {
      const chunk = page.entries.slice(at, at + RECORD_PAGE_LIMIT);
      const known = await this.deps.ledger.known(chunk.map((entry) => entry.id));
      const now = this.clock();
      chunk.forEach((entry, i) => {
        if (!known[i]) this.record.noteTracker(entry.id, entry.count, now);
      });
      await this.probe(chunk.map((entry) => entry.id));
    }
    this.deps.onChange?.();
  }

  /** Gives up the hints among `ids` that every tracker says nobody holds (seeders and leechers 0). */
  private async probe(ids: readonly string[]): Promise<void> {
    const probeSwarms = this.options.probeSwarms;
    if (!probeSwarms || this.clock() < this.probePausedUntil) return;
    const hints = ids.filter((id) => this.isHint(id));
    for (let at = 0; at < hints.length && !this.stopped; at += PROBE_BATCH) {
      let holders: ReadonlyMap<string, { seeders: number; leechers: number }>;
      try {
        holders = await probeSwarms(hints.slice(at, at + PROBE_BATCH));
      } catch {
        // A tracker did not answer (each scrape waits up to 5 s): the fetches will tell, pages go on.
        this.probePausedUntil = this.clock() + PROBE_PAUSE_MS;
        return;
      }
      for (const [id, { seeders, leechers }] of holders) {
        // Checked again: a peer may have confirmed it, or a fetch started, during the scrape.
        if (seeders + leechers > 0 || !this.isHint(id)) continue;
        this.record.giveUp(this.record.get(id)!);
        this.probedAway++;
      }
    }
  }

  private isHint(id: string): boolean {
    const entry = this.record.get(id);
    return entry !== undefined && !isConfirmed(entry) && !entry.fetching;
  }

  private async tick(): Promise<void> {
    const now = this.clock();
    for (const id of this.scheduler.expire(now)) this.aborts.get(id)?.abort();
    const gossip = this.deps.gossip;
    const ids = this.scheduler.next(now, {
      offered: (id) => gossip.offers(id),
      gossipBusy: gossip.progress().wanted > 0,
    });
    for (const id of ids) void this.fetch(id);
  }

  private async fetch(id: string): Promise<void> {
    // Gossip or the wallet may have brought it since it was noted: one lookup, not a torrent.
    const [known] = await this.deps.ledger.known([id]);
    if (known || (await this.deps.client.get(id))) {
      this.scheduler.done(id);
      this.record.held(id);
      return;
    }
    const abort = new AbortController();
    this.aborts.set(id, abort);
    this.deps.onChange?.();
    let bytes: Uint8Array;
    try {
      bytes = await fetchTxTorrent(this.deps.client, id, {
        trackers: this.deps.trackers,
        signal: abort.signal,
        onMisbehaviour: this.deps.onMisbehaviour,
      });
    } catch (err) {
      this.failedFetches++;
      this.scheduler.failed(id, this.clock(), (err as Error).name === 'TorrentNoPeerError');
      this.deps.onChange?.();
      return;
    } finally {
      this.aborts.delete(id);
    }
    if (this.stopped) return;
    this.fetched++;
    this.scheduler.done(id);
    this.record.held(id);
    const [verdict] = await this.deps.gossip.receiveFetched([bytes]);
    // An orphan's parent is fetched the same way: the seeder of a child may seed its parent too.
    if (verdict?.status === 'orphan' && verdict.waitingOn)
      this.record.noteParent(verdict.waitingOn, this.clock());
    this.deps.onChange?.();
  }
}

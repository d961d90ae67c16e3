// The full node's transaction torrents: every accepted transaction stays fetchable by its infohash,
// without a webtorrent Torrent (and its discovery) per stored transaction.
//
// Specification:
// - At most `limit` (HOT_TORRENTS) transaction torrents are active at once: the hot set, least recently
//   used first. A hot torrent is announced to the trackers (numwant 0: no offers, no connection opened
//   for it, see networkNode.ts) and to the DHT where the client has one, and answers every peer.
// - add(id, bytes) makes a transaction hot (or most recent again); when that makes the set larger than
//   `limit`, the least recently used torrent is destroyed (its wires close; the tx stays stored).
// - On demand: a TCP or uTP peer whose handshake names an infohash that is not hot but is a stored
//   accepted transaction gets it: webtorrent asks client.get(infoHash) for every incoming handshake, and
//   answerOnDemand wraps that lookup to add the torrent before the handshake is answered. Any other
//   infohash is refused as before (webtorrent closes the wire).
// - On-demand torrents are kept apart, at most ON_DEMAND_TORRENTS, least recently used out, and are
//   `private`: announced nowhere (no tracker, no DHT), so a peer naming cold ids can neither make the
//   node flood trackers nor push announced torrents out of the hot set. At most ON_DEMAND_BURST such
//   additions at once, then ON_DEMAND_PER_SECOND (one bucket for all peers); past that the handshake is
//   refused and webtorrent closes the wire. add() of an on-demand id moves it to the hot set.
// - Hot torrents re-announce `completed` (no offers) every REANNOUNCE_MS, within the trackers' 20-minute
//   peer time-out; the DHT client re-announces them on its own schedule.
import { REANNOUNCE_MS, txTorrentAddOptions } from '../net/networkNode.ts';
import { txTorrentFile } from '../net/txTorrent.ts';
import { TokenBucket } from '../rateLimit/tokenBucket.ts';
import type { TorrentLike, WebTorrentLike } from '../net/webTorrentTypes.ts';

/** Transaction torrents active at once. ~50 KB each with discovery: tens of MB for the whole set. */
export const HOT_TORRENTS = 500;

/** Cold transactions answered on demand, kept at once (unannounced). */
export const ON_DEMAND_TORRENTS = 100;
/** On-demand additions allowed at once, then per second, across all peers. */
export const ON_DEMAND_BURST = 50;
export const ON_DEMAND_PER_SECOND = 10;

const INFOHASH = /^[0-9a-f]{40}$/;

export interface HotSeedsLimits {
  readonly hot?: number;
  readonly onDemand?: number;
  readonly onDemandBurst?: number;
  readonly onDemandPerSecond?: number;
}

export class HotSeeds {
  /** Insertion order is recency: the first entry is the least recently used. */
  private readonly hot = new Map<string, TorrentLike>();
  /** Cold transactions being answered, least recently used first; never announced. */
  private readonly onDemand = new Map<string, TorrentLike>();
  private readonly onDemandRate: TokenBucket;
  private readonly reannounce: ReturnType<typeof setInterval>;
  readonly limit: number;
  readonly onDemandLimit: number;

  constructor(
    private readonly client: WebTorrentLike,
    private readonly trackers: readonly string[],
    /** The bytes of a stored accepted transaction, or null. */
    private readonly lookup: (id: string) => Promise<Uint8Array | null>,
    limits: HotSeedsLimits = {},
  ) {
    this.limit = limits.hot ?? HOT_TORRENTS;
    this.onDemandLimit = limits.onDemand ?? ON_DEMAND_TORRENTS;
    this.onDemandRate = new TokenBucket(
      limits.onDemandBurst ?? ON_DEMAND_BURST,
      limits.onDemandPerSecond ?? ON_DEMAND_PER_SECOND,
    );
    this.reannounce = setInterval(() => {
      for (const torrent of this.hot.values()) torrent.discovery?.tracker?.complete();
    }, REANNOUNCE_MS);
  }

  get size(): number {
    return this.hot.size;
  }

  get onDemandSize(): number {
    return this.onDemand.size;
  }

  has(id: string): boolean {
    return this.hot.has(id);
  }

  /** Makes a transaction hot (idempotent; refreshes its recency). */
  add(id: string, bytes: Uint8Array): TorrentLike {
    const existing = this.hot.get(id);
    if (existing) {
      this.hot.delete(id);
      this.hot.set(id, existing);
      return existing;
    }
    this.onDemand.get(id)?.destroy();
    this.onDemand.delete(id);
    const torrent = this.client.add(txTorrentFile(bytes), txTorrentAddOptions(this.trackers, bytes));
    this.hot.set(id, torrent);
    evictBeyond(this.hot, this.limit);
    return torrent;
  }

  /** Adds a cold transaction, unannounced (`private`: no DHT), among the on-demand ones. */
  private addOnDemand(id: string, bytes: Uint8Array): TorrentLike {
    const torrent = this.client.add(txTorrentFile(bytes), {
      ...txTorrentAddOptions([], bytes),
      private: true,
    });
    this.onDemand.set(id, torrent);
    evictBeyond(this.onDemand, this.onDemandLimit);
    return torrent;
  }

  /** Lets incoming TCP/uTP peers fetch any stored accepted transaction, hot or not (see the spec above). */
  answerOnDemand(): void {
    const client = this.client as WebTorrentLike & { get(id: unknown): Promise<TorrentLike | null> };
    const original = client.get.bind(client);
    client.get = async (torrentId: unknown): Promise<TorrentLike | null> => {
      const found = await original(torrentId);
      if (found || typeof torrentId !== 'string' || !INFOHASH.test(torrentId)) return found;
      const known = this.onDemand.get(torrentId);
      if (known) {
        this.onDemand.delete(torrentId);
        this.onDemand.set(torrentId, known);
        return known;
      }
      if (!this.onDemandRate.take()) return null;
      const bytes = await this.lookup(torrentId);
      const raced = this.hot.get(torrentId) ?? this.onDemand.get(torrentId);
      if (bytes === null || raced) return raced ?? null;
      const torrent = this.addOnDemand(torrentId, bytes);
      // The handshake is answered once the torrent has its metadata (parsed from the .torrent we built).
      await new Promise<void>((resolve) => {
        if ((torrent as { ready?: boolean }).ready) resolve();
        else torrent.once('ready', resolve);
      });
      return torrent;
    };
  }

  destroy(): void {
    clearInterval(this.reannounce);
  }
}

/** Destroys the least recently used torrents of `set` until it holds at most `limit`. */
function evictBeyond(set: Map<string, TorrentLike>, limit: number): void {
  while (set.size > limit) {
    const [oldest, torrent] = set.entries().next().value as [string, TorrentLike];
    set.delete(oldest);
    torrent.destroy();
  }
}

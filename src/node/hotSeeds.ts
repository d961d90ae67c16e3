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
//   accepted transaction gets it: the torrent is added to the hot set before the handshake is answered.
//   webtorrent asks client.get(infoHash) for every incoming handshake; answerOnDemand wraps that lookup.
//   Any other infohash is refused as before (webtorrent closes the wire).
// - Hot torrents re-announce `completed` (no offers) every REANNOUNCE_MS, within the trackers' 20-minute
//   peer time-out; the DHT client re-announces them on its own schedule.
import { REANNOUNCE_MS, txTorrentAddOptions } from '../net/networkNode.ts';
import { txTorrentFile } from '../net/txTorrent.ts';
import type { TorrentLike, WebTorrentLike } from '../net/webTorrentTypes.ts';

/** Transaction torrents active at once. ~50 KB each with discovery: tens of MB for the whole set. */
export const HOT_TORRENTS = 500;

const INFOHASH = /^[0-9a-f]{40}$/;

export class HotSeeds {
  /** Insertion order is recency: the first entry is the least recently used. */
  private readonly hot = new Map<string, TorrentLike>();
  private readonly reannounce: ReturnType<typeof setInterval>;

  constructor(
    private readonly client: WebTorrentLike,
    private readonly trackers: readonly string[],
    /** The bytes of a stored accepted transaction, or null. */
    private readonly lookup: (id: string) => Promise<Uint8Array | null>,
    readonly limit = HOT_TORRENTS,
  ) {
    this.reannounce = setInterval(() => {
      for (const torrent of this.hot.values()) torrent.discovery?.tracker?.complete();
    }, REANNOUNCE_MS);
  }

  get size(): number {
    return this.hot.size;
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
    const torrent = this.client.add(txTorrentFile(bytes), txTorrentAddOptions(this.trackers, bytes));
    this.hot.set(id, torrent);
    while (this.hot.size > this.limit) {
      const [oldest, cold] = this.hot.entries().next().value as [string, TorrentLike];
      this.hot.delete(oldest);
      cold.destroy();
    }
    return torrent;
  }

  /** Lets incoming TCP/uTP peers fetch any stored accepted transaction, hot or not (see the spec above). */
  answerOnDemand(): void {
    const client = this.client as WebTorrentLike & { get(id: unknown): Promise<TorrentLike | null> };
    const original = client.get.bind(client);
    client.get = async (torrentId: unknown): Promise<TorrentLike | null> => {
      const found = await original(torrentId);
      if (found || typeof torrentId !== 'string' || !INFOHASH.test(torrentId)) return found;
      const bytes = await this.lookup(torrentId);
      if (bytes === null || this.hot.has(torrentId)) return this.hot.get(torrentId) ?? null;
      const torrent = this.add(torrentId, bytes);
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

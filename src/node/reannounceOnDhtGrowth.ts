// Re-announces every torrent to the DHT when the routing table grows, not only on webtorrent's
// 15-minute timer. A node that starts with an empty table announces into nothing, and bittorrent-dht
// caches that empty lookup for minutes (issue 8's probe: the node then never announced itself). So when
// the table first holds 1, then K (8), then 4·K nodes, and when bootstrapping ends ('ready'), the cached
// lookups are dropped and each torrent announces again: at most four rounds per start.
import type { WebTorrentLike } from '../net/webTorrentTypes.ts';

/** Routing-table sizes at which the torrents announce again. */
export const REANNOUNCE_AT_NODES = [1, 8, 32] as const;

/** The pieces of bittorrent-dht and torrent-discovery this relies on (not typed by their packages). */
interface DhtLike {
  readonly nodes: { count(): number };
  readonly _tables: { remove(key: string): void };
  on(event: 'node' | 'ready', listener: () => void): void;
  once(event: 'ready', listener: () => void): void;
}
interface DiscoveryLike {
  _dhtAnnounce?(): void;
}

export function reannounceOnDhtGrowth(client: WebTorrentLike): void {
  const dht = (client as unknown as { dht?: DhtLike | false | null }).dht;
  if (!dht) return;
  const reannounce = (): void => {
    for (const torrent of client.torrents) {
      dht._tables.remove(torrent.infoHash);
      (torrent.discovery as DiscoveryLike | null | undefined)?._dhtAnnounce?.();
    }
  };
  const pending: number[] = [...REANNOUNCE_AT_NODES];
  dht.on('node', () => {
    if (pending.length > 0 && dht.nodes.count() >= pending[0]!) {
      while (pending.length > 0 && dht.nodes.count() >= pending[0]!) pending.shift();
      reannounce();
    }
  });
  dht.once('ready', reannounce);
}

// The tracker's full scrape (HTTP /scrape or a WebSocket scrape without info_hash), answered from a
// snapshot rebuilt at most every FULL_SCRAPE_SNAPSHOT_MS instead of bittorrent-tracker's walk over every
// swarm per request. It lists the swarms that have peers (a swarm without peers scrapes as zeros anyway),
// so its size follows the live peers, which the per-source limits bound, not the history.
import { activeSwarms, type TrackerServerLike } from './trackerInternals.ts';

export const FULL_SCRAPE_SNAPSHOT_MS = 5000;

export interface FullScrape {
  /** The bencoded answer of HTTP /scrape (BEP 48): `files` keyed by the raw 20-byte infohash. */
  bencoded(): Buffer;
  /** The WebSocket answer, as webtorrent reads it: `files` keyed by one char per infohash byte. */
  json(): string;
}

function bencodeInt(n: number): string {
  return `i${Math.trunc(n)}e`;
}

export function fullScrapeOf(server: TrackerServerLike, intervalSeconds: number): FullScrape {
  let cache: { at: number; bencoded?: Buffer; json?: string; rows: [string, number, number][] } | undefined;
  const rows = (): NonNullable<typeof cache> => {
    const now = performance.now();
    if (cache === undefined || now - cache.at >= FULL_SCRAPE_SNAPSHOT_MS) {
      // Sorted: bencoded dictionaries need their keys in raw byte order, which hex order is.
      cache = { at: now, rows: [...activeSwarms(server)].sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
    }
    return cache;
  };
  return {
    bencoded() {
      const c = rows();
      if (c.bencoded === undefined) {
        const parts: Buffer[] = [Buffer.from('d5:filesd', 'latin1')];
        for (const [infoHash, complete, incomplete] of c.rows) {
          parts.push(Buffer.from('20:', 'latin1'), Buffer.from(infoHash, 'hex'));
          parts.push(
            Buffer.from(
              `d8:complete${bencodeInt(complete)}10:downloaded${bencodeInt(complete)}10:incomplete${bencodeInt(incomplete)}e`,
              'latin1',
            ),
          );
        }
        parts.push(Buffer.from(`e5:flagsd20:min_request_interval${bencodeInt(intervalSeconds)}ee`, 'latin1'));
        c.bencoded = Buffer.concat(parts);
      }
      return c.bencoded;
    },
    json() {
      const c = rows();
      if (c.json === undefined) {
        const files: Record<string, { complete: number; incomplete: number; downloaded: number }> = {};
        for (const [infoHash, complete, incomplete] of c.rows) {
          files[Buffer.from(infoHash, 'hex').toString('latin1')] = {
            complete,
            incomplete,
            downloaded: complete,
          };
        }
        c.json = JSON.stringify({
          action: 'scrape',
          files,
          flags: { min_request_interval: intervalSeconds },
        });
      }
      return c.json;
    },
  };
}

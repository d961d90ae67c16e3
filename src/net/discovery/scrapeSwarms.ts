// Asks the trackers who holds each of some ids (a BitTorrent scrape of many infohashes in one message,
// over each tracker's scraper socket): how discovery gives up, without a torrent fetch, the ids a tracker
// record lists that nobody seeds (txDiscovery.ts). An id any tracker did not answer for is left out: only
// an answer of nobody, from every tracker, counts as nobody.
import type { Holders, TrackerScraper } from '../trackerScraper.ts';

export type ProbeSwarms = (ids: readonly string[]) => Promise<ReadonlyMap<string, Holders>>;

/** A ProbeSwarms over `scrapers`: seeders and leechers summed across the trackers that all answered. */
export function scrapeSwarms(scrapers: readonly TrackerScraper[]): ProbeSwarms {
  return async (ids) => {
    const answers = await Promise.all(scrapers.map((scraper) => scraper.scrape(ids)));
    const out = new Map<string, Holders>();
    for (const id of ids) {
      let seeders = 0;
      let leechers = 0;
      const known = answers.every((answer) => {
        const holders = answer.get(id);
        seeders += holders?.seeders ?? 0;
        leechers += holders?.leechers ?? 0;
        return holders !== undefined;
      });
      if (known) out.set(id, { seeders, leechers });
    }
    return out;
  };
}

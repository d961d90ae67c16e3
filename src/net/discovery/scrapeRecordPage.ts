// Where no tracker record route is reachable (a network joined by invite, whose server this page does
// not know), the trackers' full scrape over WebSocket stands in for the record: every swarm with peers
// now, as one page. Its count is the swarm's seeders and leechers now, not the announces ever counted,
// and a transaction nobody seeds at the moment is not in it; but what it lists can be fetched.
import type { TrackerScraper } from '../trackerScraper.ts';
import type { FetchPage, RecordPage, RecordPageEntry } from './trackerRecordReader.ts';

const INFO_HASH = /^[0-9a-f]{40}$/;

/** A FetchPage over the full scrapes of `scrapers`: one page, the largest count per id across them. */
export function scrapeRecordPage(scrapers: readonly TrackerScraper[]): FetchPage {
  return async (): Promise<RecordPage> => {
    const answers = await Promise.allSettled(scrapers.map((scraper) => scraper.scrapeAll()));
    const counts = new Map<string, number>();
    let answered = 0;
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue;
      answered++;
      for (const [id, { seeders, leechers }] of answer.value) {
        const count = seeders + leechers;
        if (!INFO_HASH.test(id) || !Number.isSafeInteger(count) || count < 1) continue;
        counts.set(id, Math.max(count, counts.get(id) ?? 0));
      }
    }
    if (answered === 0) throw new Error('no tracker answered a full scrape');
    const entries: RecordPageEntry[] = [...counts].map(([id, count]) => ({ id, count }));
    return { entries, total: entries.length, next: null };
  };
}

// TrackerScraper (src/net/trackerScraper.ts) against a real bittorrent-tracker: it reports each change
// of its socket's state, reconnects a refused or lost socket by itself (so NetworkService.status() only
// reads), and stops for good on close(). Node 20 has no WebSocket global; `ws` stands in for it.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TrackerScraper } from '../../src/net/trackerScraper.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

/** A loopback port with nothing listening on it (yet). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A scraper whose state reports can be awaited. */
function watched(url: string) {
  const waiters: (() => void)[] = [];
  const scraper = new TrackerScraper(url, () => waiters.splice(0).forEach((wake) => wake()));
  cleanup.push(() => scraper.close());
  const until = async (state: string) => {
    while (scraper.state() !== state) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { scraper, until };
}

describe('TrackerScraper', () => {
  it('opens, scrapes, and reports the open socket', async () => {
    const tracker = await startTestTracker();
    cleanup.push(() => tracker.close());
    const { scraper, until } = watched(tracker.wsUrl);
    scraper.connect();
    await until('open');
    expect(await scraper.scrape(['00'.repeat(20)])).toBeInstanceOf(Map);
  });

  it('reconnects by itself once the tracker can be reached, and stops on close()', async () => {
    const port = await freePort();
    const { scraper, until } = watched(`ws://127.0.0.1:${port}`);
    scraper.connect();
    await until('closed'); // refused: reported, and a retry is scheduled
    expect(scraper.state()).toBe('closed');
    let tracker: TestTracker | undefined = await startTestTracker(port);
    cleanup.push(() => tracker?.close());
    await until('open'); // nobody called connect() again
    scraper.close();
    expect(scraper.state()).toBe('closed');
    await tracker.close();
    tracker = undefined;
  });
});

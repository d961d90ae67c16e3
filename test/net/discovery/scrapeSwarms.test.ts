// scrapeSwarms against the project's real tracker on loopback: one scrape message answers who holds each
// of many ids (a seeded transaction's torrent has its seeder; a made-up id nobody), and a tracker that
// cannot be reached fails the whole probe rather than passing for "nobody holds it".
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTracker, type Tracker } from '../../../server/trackerServer.ts';
import { scrapeSwarms } from '../../../src/net/discovery/scrapeSwarms.ts';
import { TrackerScraper } from '../../../src/net/trackerScraper.ts';
import { TxChunkStore, txTorrentFile } from '../../../src/net/txTorrent.ts';
import type { WebTorrentLike } from '../../../src/net/webTorrentTypes.ts';
import { makeTempDir, type TempDir } from '../../server/tempDir.ts';
import { hexIds } from '../../support/hexIds.ts';
import { nodeWebTorrent, ownTrackerUrl, troubleOf } from '../../support/nodePeer.ts';
import { pollFor } from '../../support/pollFor.ts';
import { makeTestNetwork, pay, personNamed } from '../../support/testNetwork.ts';

// Node 20 has no WebSocket global (the scraper's); `ws` stands in for it.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const network = makeTestNetwork();
let data: TempDir;
let tracker: Tracker;

beforeAll(async () => {
  data = await makeTempDir();
  tracker = await startTracker({ host: '127.0.0.1', port: 0, dataDir: data.path, log: () => {} });
});

afterAll(async () => {
  await tracker?.close();
  await data?.remove();
});

it('answers seeders and leechers for each id, in one scrape of 500', async () => {
  const payment = pay(network.owner, personNamed('dave'), 300, network.genesis.id);
  const seeder: WebTorrentLike = nodeWebTorrent();
  const trouble = troubleOf(seeder);
  seeder.add(txTorrentFile(payment.bytes), {
    announce: [ownTrackerUrl(tracker.wsUrl)],
    preloadedStore: new TxChunkStore(payment.bytes),
    skipVerify: true,
  });
  const scraper = new TrackerScraper(tracker.wsUrl);
  try {
    const probe = scrapeSwarms([scraper]);
    await pollFor('the seeder to be in its swarm', async () => {
      return ((await probe([payment.id])).get(payment.id)?.seeders ?? 0) > 0;
    });
    const madeUp = hexIds(499, 1);
    const holders = await probe([payment.id, ...madeUp]);
    expect(holders.size).toBe(500);
    expect(holders.get(payment.id)).toEqual({ seeders: 1, leechers: 0 });
    for (const id of madeUp) expect(holders.get(id)).toEqual({ seeders: 0, leechers: 0 });
  } finally {
    scraper.close();
    await new Promise<void>((resolve) => seeder.destroy(() => resolve()));
  }
  expect(trouble).toEqual([]);
}, 60_000);

it('fails when one tracker cannot be reached: no answer is never "nobody holds it"', async () => {
  const up = new TrackerScraper(tracker.wsUrl);
  // Port 9 (discard) on loopback: nothing listens, the socket is refused.
  const down = new TrackerScraper('ws://127.0.0.1:9');
  try {
    await expect(scrapeSwarms([up, down])(hexIds(3))).rejects.toThrow(/not reachable/);
  } finally {
    up.close();
    down.close();
  }
});

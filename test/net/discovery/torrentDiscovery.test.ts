// The seed's discovery rule on loopback, with the project's real tracker (server/trackerServer.ts) and its
// record route, and real webtorrent: a transaction seeded only as a torrent, by a plain webtorrent client
// that speaks no `ut_ttx` gossip, is found in the tracker's record and fetched as a torrent by a node,
// then decided by its ledger like a gossiped one (a valid one accepted, an invalid one never stored as
// good). The same through the trackers' full scrape over WebSocket, where no record route is known. And
// many ids that only the record lists and nobody seeds (hints, as a poisoned record holds): never more
// torrent fetches of them at once than their share, none counted missing, each given up at its first
// fetch, on the tracker's answer that the swarm has no seeder, long before its time-out.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTracker, type Tracker } from '../../../server/trackerServer.ts';
import { createTrackerRecordRoute } from '../../../server/trackerRecordRoute.ts';
import { FETCH_LIMITS, MAX_HINT_FETCHES } from '../../../src/net/discovery/torrentFetchScheduler.ts';
import { scrapeRecordPage } from '../../../src/net/discovery/scrapeRecordPage.ts';
import type { FetchPage, RecordPage } from '../../../src/net/discovery/trackerRecordReader.ts';
import { TrackerScraper } from '../../../src/net/trackerScraper.ts';
import { TxChunkStore, txTorrentFile } from '../../../src/net/txTorrent.ts';
import type { TorrentLike, WebTorrentLike } from '../../../src/net/webTorrentTypes.ts';
import { pollFor } from '../../support/pollFor.ts';
import {
  nodeWebTorrent,
  ownTrackerUrl,
  startNodePeer,
  troubleOf,
  waitFor,
  type NodePeer,
} from '../../support/nodePeer.ts';
import { makeTestNetwork, pay, personNamed } from '../../support/testNetwork.ts';
import { makeTempDir, type TempDir } from '../../server/tempDir.ts';

// Node 20 has no WebSocket global (the scraper's); `ws` stands in for it.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const network = makeTestNetwork();
const alice = personNamed('alice');
const bob = personNamed('bob');
/** Fast passes over the record, so the test waits on events, not on minutes. */
const readerTiming = { pageLimit: 1000, pageMs: 50, passMs: 500, maxPages: 200 };

let data: TempDir;
let tracker: Tracker;
let http: Server;
let recordUrl: string;

beforeAll(async () => {
  data = await makeTempDir();
  tracker = await startTracker({ host: '127.0.0.1', port: 0, dataDir: data.path, log: () => {} });
  http = createServer(createTrackerRecordRoute(tracker.record));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  recordUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/tracker/record`;
});

afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await tracker?.close();
  await data?.remove();
});

/** A plain webtorrent client seeding each transaction as its `tx` torrent: no gossip extension. */
function plainSeeder(txs: readonly Uint8Array[]): { client: WebTorrentLike; trouble: string[] } {
  const client = nodeWebTorrent();
  const trouble = troubleOf(client);
  const announce = [ownTrackerUrl(tracker.wsUrl)];
  for (const bytes of txs) {
    client.add(txTorrentFile(bytes), { announce, preloadedStore: new TxChunkStore(bytes), skipVerify: true });
  }
  return { client, trouble };
}

function destroy(client: WebTorrentLike): Promise<void> {
  return new Promise((resolve) => client.destroy(() => resolve()));
}

/** Counts the torrents a client holds that were added by infohash (the fetches), and the most at once. */
function countFetches(client: WebTorrentLike): { live: () => number; peak: () => number } {
  let live = 0;
  let peak = 0;
  const add = client.add.bind(client);
  client.add = (torrentId, opts, onTorrent) => {
    const torrent = add(torrentId, opts, onTorrent);
    if (typeof torrentId === 'string') {
      peak = Math.max(peak, ++live);
      (torrent as TorrentLike & { once(event: 'close', listener: () => void): void }).once(
        'close',
        () => live--,
      );
    }
    return torrent;
  };
  return { live: () => live, peak: () => peak };
}

/** A node that reads the record from `source` and fetches at once what it finds. */
/** `waited`, or a failure within `ms` saying where the node's discovery stood (not a bare test time-out). */
async function withinOrSay(node: NodePeer, ms: number, waited: Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const status = node.node.status();
      reject(
        new Error(
          `not done in ${ms} ms: peers ${status.peers}, discovery ${JSON.stringify(status.discovery)}`,
        ),
      );
    }, ms);
  });
  try {
    await Promise.race([waited, late]);
  } finally {
    clearTimeout(timer);
  }
}

function startDiscoveringNode(source: { recordUrl: string } | { fetchPage: FetchPage }): Promise<NodePeer> {
  return startNodePeer(network, tracker.wsUrl, {
    discovery: {
      ...source,
      readerTiming,
      // A fetch whose one connection failed (a loaded machine) is retried soon, with a new torrent.
      // A hint's connection failing twice under load is not what these tests are about (the third one is).
      fetchLimits: {
        ...FETCH_LIMITS,
        gossipGraceMs: 0,
        fetchTimeoutMs: 20_000,
        retryBaseMs: 1000,
        maxHintTries: 4,
      },
      tickMs: 100,
    },
  });
}

describe('discovery from the tracker record, fetched as torrents', () => {
  it('a tx seeded only by a plain webtorrent client is found in the record, fetched and accepted', async () => {
    const payment = pay(network.owner, alice, 250, network.genesis.id);
    // Signed, but alice does not own the genesis output: the ledger finds it invalid (wrong-owner).
    const forged = pay(alice, bob, 100, network.genesis.id);
    const seeder = plainSeeder([payment.bytes, forged.bytes]);
    let node: NodePeer | undefined;
    try {
      await pollFor(
        'the seeder to announce both torrents to the tracker',
        () => tracker.record.get(payment.id) !== undefined && tracker.record.get(forged.id) !== undefined,
      );
      node = await startDiscoveringNode({ recordUrl });
      const n = node;
      await withinOrSay(
        n,
        100_000,
        waitFor(
          'the node to fetch both and decide them',
          [n],
          async () =>
            (await n.store.getTx(payment.id))?.status === 'accepted' &&
            (await n.store.getTx(forged.id))?.status === 'invalid',
        ),
      );
      expect((await n.store.getTx(forged.id))?.reason).toBe('wrong-owner');
      const status = n.node.status();
      expect(status.peers).toBe(0); // no gossip peer at all: it came as a torrent
      expect(status.discovery!.fetched).toBe(2);
      expect(status.discovery!.trackerTotal).toBeGreaterThanOrEqual(2); // payment, forged (genesis, once announced)
      expect(status.discovery!.missing).toBe(0);
      expect(status.sync.known).toBe(status.sync.accepted); // network size: genesis and the payment
      expect(status.sync.accepted).toBe(2);
      expect(n.misbehaviour).toEqual([]);
    } finally {
      await node?.close();
      await destroy(seeder.client);
    }
    expect(seeder.trouble).toEqual([]);
  }, 120_000);

  it("without a record route, the trackers' full scrape over WebSocket finds it", async () => {
    const payment = pay(network.owner, bob, 400, network.genesis.id, network.genesis.tx.time + 7000);
    const seeder = plainSeeder([payment.bytes]);
    const scraper = new TrackerScraper(tracker.wsUrl);
    let node: NodePeer | undefined;
    try {
      await pollFor('the seeder to announce', () => tracker.record.get(payment.id) !== undefined);
      node = await startDiscoveringNode({ fetchPage: scrapeRecordPage([scraper]) });
      const n = node;
      await withinOrSay(
        n,
        100_000,
        waitFor(
          'the node to fetch and accept it',
          [n],
          async () => (await n.store.getTx(payment.id))?.status === 'accepted',
        ),
      );
      expect(n.node.status().peers).toBe(0);
    } finally {
      scraper.close();
      await node?.close();
      await destroy(seeder.client);
    }
    expect(seeder.trouble).toEqual([]);
  }, 120_000);

  it(`ids only the record lists, nobody seeds: at most ${MAX_HINT_FETCHES} fetch at once, none missing, each given up at its first fetch`, async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `${'d1'.repeat(19)}${i.toString(16).padStart(2, '0')}`);
    const page: RecordPage = {
      entries: ids.map((id, i) => ({ id, count: 1 + i })),
      total: ids.length,
      next: null,
    };
    const client = nodeWebTorrent();
    const fetches = countFetches(client);
    let peakMissing = 0;
    const node = await startNodePeer(network, tracker.wsUrl, {
      client,
      discovery: {
        fetchPage: () => Promise.resolve(page),
        readerTiming,
        // A time-out longer than the test: each fetch must end on the tracker's answer.
        fetchLimits: { gossipGraceMs: 0, fetchTimeoutMs: 10 * 60_000, maxRetryMs: 10 * 60_000 },
        tickMs: 100,
      },
    });
    try {
      await waitFor('every id to be given up', [node], () => {
        const discovery = node.node.status().discovery!;
        peakMissing = Math.max(peakMissing, discovery.missing);
        return discovery.givenUp === ids.length && discovery.fetching === 0;
      });
      const discovery = node.node.status().discovery!;
      expect(discovery.failedFetches).toBe(ids.length);
      expect(discovery.fetched).toBe(0);
      expect(discovery.discovered).toBe(0);
      expect(peakMissing).toBe(0);
      expect(fetches.peak()).toBe(MAX_HINT_FETCHES);
      for (const id of ids) expect(node.node.discovery!.record.gaveUpOn(id)).toBe(true);
      await pollFor('the fetch torrents to be gone', () => fetches.live() === 0);
      // Later passes over the record list them again: they stay given up, nothing is fetched.
      const passes = discovery.recordPasses;
      await pollFor('two more passes', () => node.node.status().discovery!.recordPasses >= passes + 2);
      expect(node.node.status().discovery).toMatchObject({ failedFetches: ids.length, discovered: 0 });
    } finally {
      await node.close();
    }
  }, 90_000);
});

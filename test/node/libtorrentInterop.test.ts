// A stock desktop client fetches a transaction from the full node alone: libtorrent (Debian's
// python3-libtorrent, test/support/libtorrentFetch.py) downloads it by magnet over TCP, found through the
// HTTP tracker, then with no tracker at all through a loopback DHT; the bytes hash to the id.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { hexToBytes } from '../../src/core/hex.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { openFullNode, type FullNode, type FullNodeOptions } from '../../src/node/openFullNode.ts';
import { networkConfigOf } from '../support/fullNodeNetwork.ts';
import { ownTrackerUrl } from '../support/nodePeer.ts';
import { pollFor } from '../support/pollFor.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

/** Debian's python3-libtorrent installs for the system Python (see torrentIds.test.ts). */
const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../support/libtorrentFetch.py');

const dir = mkdtempSync(join(tmpdir(), 'torrenttx-interop-'));
const net = makeTestNetwork();
const payment = pay(net.owner, personNamed('bob'), 250, net.genesis.id);
let tracker: TestTracker;
const closing: (() => unknown)[] = [];

beforeAll(async () => {
  tracker = await startTestTracker();
});
afterEach(async () => {
  // Last opened, first closed: a node before the tracker it announces to.
  for (const close of closing.splice(0).reverse()) await close();
});
afterAll(async () => {
  await tracker.close();
  rmSync(dir, { recursive: true, force: true });
});

/** libtorrent in a child process: its port first, then one fetch. */
class Libtorrent {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start(dht: boolean): Promise<{ lt: Libtorrent; port: number }> {
    const child = spawn(SYSTEM_PYTHON, [SCRIPT, ...(dht ? ['--dht'] : [])]);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const lt = new Libtorrent(child);
    closing.push(() => child.kill());
    const first = await lt.lines.next();
    if (first.done) throw new Error(`libtorrent did not start: ${stderr}`);
    return { lt, port: (JSON.parse(first.value) as { port: number }).port };
  }

  /** Downloads within 60 s and checks that the bytes hash to `id`. */
  async fetchAndCheck(id: string, request: { magnet: string; dhtNodes?: [string, number][] }): Promise<void> {
    this.child.stdin.write(JSON.stringify({ ...request, seconds: 60 }) + '\n');
    const answer = await this.lines.next();
    if (answer.done) throw new Error('libtorrent exited without an answer');
    const result = JSON.parse(answer.value) as { hex?: string; error?: string };
    expect(result.error).toBeUndefined();
    expect(txIdOf(hexToBytes(result.hex!))).toBe(id);
  }
}

async function fullNode(
  options: Partial<FullNodeOptions> & Pick<FullNodeOptions, 'network'>,
  txs: readonly Uint8Array[] = [payment.bytes],
): Promise<FullNode> {
  const full = await openFullNode({
    dataDir: mkdtempSync(join(dir, 'node-')),
    rtcBindAddress: '127.0.0.1',
    ...options,
  });
  closing.push(() => full.close());
  expect(await full.importLines(txs)).toBe(txs.length);
  await full.start();
  return full;
}

/** Seeders the HTTP tracker lists for an infohash (its scrape), WebSocket and HTTP announces alike. */
async function seeders(infoHash: string, on: TestTracker = tracker): Promise<number> {
  const binary = Buffer.from(infoHash, 'hex').toString('latin1');
  const escaped = [...binary].map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  const response = await fetch(`${on.httpUrl.replace('/announce', '/scrape')}?info_hash=${escaped}`);
  const text = Buffer.from(await response.arrayBuffer()).toString('latin1');
  return Number(/8:completei(\d+)e/.exec(text)?.[1] ?? 0);
}

it('libtorrent fetches a tx by magnet through the HTTP tracker from the node alone', async () => {
  await fullNode({ network: networkConfigOf(net, [ownTrackerUrl(tracker.wsUrl)]), dht: false });
  // The node announces the tx torrent over WebSocket (for browsers) and HTTP (for desktop clients).
  await pollFor(
    'the node announces the payment over HTTP too',
    async () => (await seeders(payment.id)) >= 2,
    30_000,
  );
  const { lt } = await Libtorrent.start(false);
  await lt.fetchAndCheck(payment.id, {
    magnet: `magnet:?xt=urn:btih:${payment.id}&tr=${encodeURIComponent(tracker.httpUrl)}`,
  });
}, 120_000);

for (const listsItself of [true, false]) {
  const how = listsItself
    ? 'the node bootstraps from libtorrent and lists itself (host)'
    : 'libtorrent bootstraps from the node, which announces again as its table grows';
  it(`libtorrent fetches a tx by infohash alone through a loopback DHT: ${how}`, async () => {
    const { lt, port } = await Libtorrent.start(true);
    const full = await fullNode({
      network: networkConfigOf(net, []),
      // host: the node lists itself as a peer of what it announces. Without it and with no bootstrap
      // node, its first announce goes into an empty table and that empty lookup is cached for minutes
      // (issue 8's probe): reannounceOnDhtGrowth.ts announces again once libtorrent has joined its table.
      dht: listsItself ? { bootstrap: [`127.0.0.1:${port}`], host: '127.0.0.1' } : { bootstrap: [] },
    });
    const { dhtPort } = await full.status();
    expect(dhtPort).toBeGreaterThan(0);
    await lt.fetchAndCheck(payment.id, {
      magnet: `magnet:?xt=urn:btih:${payment.id}`,
      dhtNodes: [['127.0.0.1', dhtPort!]],
    });
  }, 120_000);
}

it('libtorrent fetches a stored tx that is not hot: the node answers its handshake on demand', async () => {
  const later = pay(personNamed('bob'), personNamed('carol'), 100, payment.id, payment.tx.time + 1);
  // One hot torrent: the later payment; the first is only in the ledger, announced nowhere.
  const full = await fullNode({ network: networkConfigOf(net, []), dht: false, hotTorrents: 1 }, [
    payment.bytes,
    later.bytes,
  ]);
  expect((await full.status()).hotTorrents).toBe(1);
  const { tcpPort } = await full.status();
  const { lt } = await Libtorrent.start(false);
  // x.pe (BEP 9): the peer to ask, since nothing announces a cold transaction.
  await lt.fetchAndCheck(payment.id, {
    magnet: `magnet:?xt=urn:btih:${payment.id}&x.pe=127.0.0.1:${tcpPort}`,
  });
  // Answered apart from the hot set, and announced nowhere.
  expect(await full.status()).toMatchObject({ hotTorrents: 1, onDemandTorrents: 1 });
}, 120_000);

it('libtorrent finds a cold tx through the HTTP tracker: the rolling schedule announced it', async () => {
  const later = pay(personNamed('bob'), personNamed('carol'), 100, payment.id, payment.tx.time + 1);
  // A tracker of its own: the shared one still lists the first test's announce of `payment`.
  const own = await startTestTracker();
  closing.push(() => own.close());
  // Only `later` is hot; `payment` is announced by the rolling schedule alone (a 2 s cycle here).
  const full = await fullNode(
    {
      network: networkConfigOf(net, [ownTrackerUrl(own.wsUrl)]),
      dht: false,
      hotTorrents: 1,
      rollCycleMs: 2000,
    },
    [payment.bytes, later.bytes],
  );
  expect((await full.status()).coldAnnouncesPerSecond).toBeGreaterThan(0);
  await pollFor(
    'the cold tx is announced over HTTP',
    async () => (await seeders(payment.id, own)) >= 1,
    30_000,
  );
  const { lt } = await Libtorrent.start(false);
  await lt.fetchAndCheck(payment.id, {
    magnet: `magnet:?xt=urn:btih:${payment.id}&tr=${encodeURIComponent(own.httpUrl)}`,
  });
}, 120_000);

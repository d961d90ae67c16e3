// `npm run bench:sync`: how fast a fresh browser tab catches up with a network, and how fast its ledger
// runs over IndexedDB, each next to a raw baseline measured in the same run (headless Chromium, loopback).
//  1. Replay (no network): the generated DAG (bench/dagCache.ts) replayed into the real IdbLedgerStore in
//     a dedicated worker, next to the raw limit in that worker: WebCrypto verifies of the same signatures
//     + a batched IndexedDB write of the same records. Target ratio ≥ 0.5; IndexedDB ≤ 1 KB per tx.
//  2. Join: one Node peer (NetworkNode + Ledger on the memory store) holds the DAG; a fresh tab running
//     the real node (startNode: ledger and network workers, the WebRTC bridge) joins through a local
//     tracker. Prints time to all accepted (or how far it got), tx/s next to the raw limit of part 1,
//     honest peers dropped (target 0), bytes on the wire vs the DAG's tx.json bytes (≤ 1.5×), the ledger
//     worker's heap peak (≤ 150 MB, CDP), IndexedDB bytes per tx (≤ 1 KB) and the longest main-thread
//     task (≤ 50 ms).
//  3. Reload with everything stored: time from navigation until the balance is known (≤ 1 s).
// Usage: npm run bench:sync [-- --size N] [--batch N] [--timeout S] [--replay-only] [--profile FILE]
// --profile writes a CPU profile of the ledger worker during the join (open it in Chrome DevTools).
import type { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession } from 'playwright-core';
import type { Connect } from 'vite';
import { Ledger } from '../src/core/ledger.ts';
import { gossipLedgerOf } from '../src/ledger/gossipLedgerOf.ts';
import { strictVerifier } from '../src/ledger/webCryptoVerifier.ts';
import { NetworkNode } from '../src/net/networkNode.ts';
import type { NetworkConfig } from '../src/core/network.ts';
import { MemoryLedgerStore } from '../src/storage/memoryLedgerStore.ts';
import { pageApi } from '../test/browser/pageApi.ts';
import { launchChromium, newPeerContext } from '../test/support/chromium.ts';
import { nodeWebTorrent, ownTrackerUrl } from '../test/support/nodePeer.ts';
import { startTestTracker } from '../test/support/tracker.ts';
import { startViteHarness } from '../test/support/viteHarness.ts';
import { loadOrGenerateDag } from './dagCache.ts';
import type { SyncNodeApi } from './pages/syncNode.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '500' },
    timeout: { type: 'string' },
    'replay-only': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const size = Number(values.size);
const batch = Number(values.batch);
const timeoutS = Number(values.timeout ?? Math.max(60, Math.ceil(size / 100)));
/** The join stops early when the accepted count has not moved for this long. */
const STALL_S = 45;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const perS = (count: number, ms: number) => (count / ms) * 1000;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const line = (label: string, text: string) => console.log(`${label.padEnd(38)} ${text}`);

const dag = await loadOrGenerateDag(size);
const dagTexts = dag.txs.map((bytes) => new TextDecoder().decode(bytes));
const dagBytes = dag.txs.reduce((sum, bytes) => sum + bytes.length, 0);
console.log(`DAG: ${fmt(dag.txs.length)} txs, ${mb(dagBytes)} of tx.json, batches of ${batch}`);

// The Node peer holding the DAG.
const tracker = await startTestTracker();
const store = new MemoryLedgerStore();
const ledger = new Ledger(
  store,
  { genesisId: dag.genesisId, powUnit: 1n },
  { verify: await strictVerifier() },
);
const joining = !values['replay-only'];
if (joining) {
  for (let i = 0; i < dag.txs.length; i += 1000) await ledger.receive(dag.txs.slice(i, i + 1000), Date.now());
}
const client = nodeWebTorrent();
// Every byte the peer's wires send and receive (the BitTorrent handshake, gossip frames, everything).
let wireBytes = 0;
const add = client.add.bind(client);
client.add = ((...args: Parameters<typeof add>) => {
  const torrent = add(...args);
  (torrent as unknown as EventEmitter).on(
    'wire',
    (wire: EventEmitter & { write: (...a: unknown[]) => boolean }) => {
      wire.on('data', (chunk: Uint8Array) => (wireBytes += chunk.length));
      const write = wire.write.bind(wire);
      wire.write = (chunk: unknown, ...rest: unknown[]) => {
        if (chunk instanceof Uint8Array) wireBytes += chunk.length;
        return write(chunk, ...rest);
      };
    },
  );
  return torrent;
}) as typeof add;
const peerDrops: string[] = [];
const peer = new NetworkNode(
  client,
  { genesisId: dag.genesisId, genesisTx: dag.txs[0]!, trackers: [ownTrackerUrl(tracker.wsUrl)] },
  gossipLedgerOf(ledger, store, () => Date.now()),
  { onMisbehaviour: (_peer, problem) => peerDrops.push(problem) },
);
if (joining) await peer.start();

const network: NetworkConfig = {
  name: 'bench',
  genesisId: dag.genesisId,
  genesisTx: dagTexts[0]!,
  powUnit: 1,
  trackers: [tracker.wsUrl],
  faucet: null,
};
const serveJson =
  (body: () => string): Connect.NextHandleFunction =>
  (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body());
  };
const vite = await startViteHarness({
  plugins: [
    {
      name: 'bench-sync-data',
      configureServer(server) {
        server.middlewares.use(
          '/network.json',
          serveJson(() => JSON.stringify(network)),
        );
        server.middlewares.use(
          '/bench-dag.json',
          serveJson(() => JSON.stringify({ genesisId: dag.genesisId, txs: dagTexts })),
        );
      },
    },
  ],
});

/**
 * A CDP session attached to the ledger worker's target (once it runs): `send` asks it anything (the
 * heap, the profiler); `send` answers null while the worker is not there yet.
 */
async function ledgerWorkerSession(
  browser: Browser,
): Promise<(method: string, params?: object) => Promise<Record<string, unknown> | null>> {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  let sessionId: string | undefined;
  let nextId = 1;
  const waiting = new Map<number, (result: Record<string, unknown>) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: Record<string, unknown> };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result ?? {});
  });
  return async (method, params = {}) => {
    if (sessionId === undefined) {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; type: string; url: string; title: string }[];
      };
      const target = targetInfos.find((t) => t.type === 'worker' && t.url.includes('ledger.worker'));
      if (target === undefined) return null;
      ({ sessionId } = (await cdp.send('Target.attachToTarget', {
        targetId: target.targetId,
        flatten: false,
      })) as { sessionId: string });
    }
    const id = nextId++;
    const answer = new Promise<Record<string, unknown>>((resolve) => waiting.set(id, resolve));
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id, method, params }),
    });
    const result = await answer;
    waiting.delete(id);
    return result;
  };
}

/** The raw limit part 1 measured, tx/s. */
let rawLimit = 0;

/** Parts 2 and 3: a fresh tab joins the Node peer's network, then reloads with what it stored. */
async function joinAndReload(browser: Browser): Promise<void> {
  // 2. A fresh tab joins the network the Node peer serves.
  const rawRate = rawLimit;
  const context = await newPeerContext(browser, vite.origin);
  const page = await context.newPage();
  await page.goto(`${vite.origin}/bench/pages/syncNode.html`);
  await page.waitForFunction(() => 'syncNode' in window);
  const tab = pageApi<SyncNodeApi>(page, 'syncNode');
  const worker = await ledgerWorkerSession(browser);
  const heapOf = async () => ((await worker('Runtime.getHeapUsage'))?.usedSize as number | undefined) ?? null;
  const t0 = Date.now();
  await tab.start();
  await tab.resetLongestTask();
  if (values.profile) {
    await worker('Profiler.enable');
    await worker('Profiler.setSamplingInterval', { interval: 500 });
    await worker('Profiler.start');
  }
  let heapPeak = 0;
  let progress = await tab.progress();
  let lastChange = Date.now();
  let lastAccepted = 0;
  while (progress.accepted < size) {
    if (Date.now() - t0 > timeoutS * 1000 || Date.now() - lastChange > STALL_S * 1000) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
    progress = await tab.progress();
    heapPeak = Math.max(heapPeak, (await heapOf()) ?? 0);
    if (progress.accepted !== lastAccepted) [lastAccepted, lastChange] = [progress.accepted, Date.now()];
  }
  const joinMs = Date.now() - t0;
  if (values.profile) {
    writeFileSync(values.profile, JSON.stringify((await worker('Profiler.stop'))?.profile));
    console.log(`ledger worker CPU profile of the join: ${values.profile}`);
  }
  const usage = await tab.usage();
  console.log('\n2. a fresh tab joins a network of one Node peer');
  if (progress.accepted >= size) {
    line('time to all accepted', `${(joinMs / 1000).toFixed(1)} s`);
  } else {
    console.log(
      `not all accepted after ${(joinMs / 1000).toFixed(0)} s: ${fmt(progress.accepted)} of ${fmt(size)} accepted` +
        ` (${fmt(progress.held)} held, ${fmt(progress.known)} known; stopped ${Date.now() - lastChange > STALL_S * 1000 ? `after ${STALL_S} s without progress` : 'at the time limit'})`,
    );
  }
  const joinRate = perS(progress.accepted, joinMs);
  line(
    'accepted per second',
    `${fmt(joinRate)} tx/s  (raw limit ${fmt(rawRate)} tx/s; ratio ${(joinRate / rawRate).toFixed(2)}, target ≥ 0.5)`,
  );
  line(
    'honest peers dropped',
    `by the tab ${progress.misbehaving}, by the Node peer ${peerDrops.length}${peerDrops.length ? ` (${peerDrops.join(', ')})` : ''}  (target 0)`,
  );
  line(
    'bytes on the wire / tx.json bytes',
    `${mb(wireBytes)} / ${mb(dagBytes)} = ${(wireBytes / dagBytes).toFixed(2)}×  (target ≤ 1.5×)`,
  );
  line(
    'ledger-worker heap peak',
    `${heapPeak ? mb(heapPeak) : 'n/a'}  (CDP Runtime.getHeapUsage; target ≤ 150 MB)`,
  );
  line(
    'IndexedDB per accepted tx',
    `${fmt(usage / Math.max(1, progress.accepted))} bytes  (storage.estimate, whole origin; target ≤ 1,024)`,
  );
  line(
    'longest main-thread task',
    `${(await tab.longestTask()).toFixed(0)} ms  (longtask; 0 = none over 50 ms; target ≤ 50)`,
  );

  // 3. Reload with what is stored: how soon after navigation the balance is known.
  await page.goto(`${vite.origin}/bench/pages/syncNode.html?autostart`);
  await page.waitForFunction(() => 'syncNode' in window);
  let shown: number | null = null;
  const reloadStart = Date.now();
  while ((shown = await tab.balanceShownMs()) === null && Date.now() - reloadStart < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log(`\n3. reload with ${fmt(progress.accepted)} stored`);
  line(
    'balance known after navigation',
    `${shown === null ? 'not within 60 s' : `${fmt(shown)} ms`}  (target ≤ 1,000 ms)`,
  );
  const steps = await tab.reloadSteps();
  line(
    '  page script ran, startNode done at',
    `${fmt(steps.scriptStartMs)} ms, ${steps.nodeStartedMs === null ? '–' : `${fmt(steps.nodeStartedMs)} ms`}`,
  );
  await context.close();
}

const browser = await launchChromium();
try {
  // 1. Replay into the real IndexedDB store in a worker, and the raw limit beside it.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${vite.origin}/bench/pages/syncNode.html`);
    await page.waitForFunction(() => 'syncNode' in window);
    const r = await pageApi<SyncNodeApi>(page, 'syncNode').replay('/bench-dag.json', batch);
    const replayRate = perS(r.txs, r.replayMs);
    const rawRate = perS(r.txs, r.rawVerifyMs + r.rawWriteMs);
    console.log('\n1. ledger over IndexedDB in a worker (replay, no network)');
    line(
      'replay, strict signatures',
      `${fmt(replayRate)} tx/s  (${(r.replayMs / 1000).toFixed(1)} s, ${fmt(r.accepted)} accepted)`,
    );
    line(
      '  of which store commits, reads',
      `${(r.commitMs / 1000).toFixed(1)} s, ${(r.readMs / 1000).toFixed(1)} s`,
    );
    line('replay, signatures not checked', `${fmt(perS(r.txs, r.replayNoVerifyMs))} tx/s`);
    line('raw: WebCrypto verify', `${fmt(perS(r.txs, r.rawVerifyMs))} verifies/s`);
    line('raw: batched IndexedDB write', `${fmt(perS(r.txs, r.rawWriteMs))} records/s (no index)`);
    line('raw limit (verify + write)', `${fmt(rawRate)} tx/s`);
    line('replay / raw', `${(replayRate / rawRate).toFixed(2)}  (target ≥ 0.5)`);
    line('IndexedDB per tx', `${fmt(r.storedBytes / r.txs)} bytes  (storage.estimate; target ≤ 1,024)`);
    if (r.accepted !== r.txs) console.log(`WARNING: only ${r.accepted} of ${r.txs} accepted in the replay`);
    await context.close();
    rawLimit = rawRate;
  }

  if (joining) await joinAndReload(browser);
} finally {
  await browser.close();
  await vite.close();
  if (joining) await peer.destroy();
  await tracker.close();
}

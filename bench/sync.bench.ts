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
// Usage: npm run bench:sync [-- --size N] [--batch N] [--timeout S] [--replay-only] [--profile PREFIX]
// --profile writes CPU profiles of the join: PREFIX.ledger/.network/.main.cpuprofile (the two workers and
// the page's main thread; open them in Chrome DevTools).
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { pageApi } from '../test/browser/pageApi.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { startTestTracker } from '../test/support/tracker.ts';
import { loadOrGenerateDag } from './dagCache.ts';
import type { SyncNodeApi } from './pages/syncNode.ts';
import { networkOfDag } from './support/networkOfDag.ts';
import { fmt, joinFreshTab, line, mb, perS, printJoin, startBenchVite } from './support/freshTab.ts';
import { startMemoryPeer } from './support/memoryPeer.ts';

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
const dag = await loadOrGenerateDag(size);
const dagTexts = dag.txs.map((bytes) => new TextDecoder().decode(bytes));
const dagBytes = dag.txs.reduce((sum, bytes) => sum + bytes.length, 0);
console.log(`DAG: ${fmt(dag.txs.length)} txs, ${mb(dagBytes)} of tx.json, batches of ${batch}`);

// The Node peer holding the DAG.
const tracker = await startTestTracker();
const joining = !values['replay-only'];
const peer = await startMemoryPeer(dag, tracker.wsUrl, joining);
const { wires, peerDrops } = peer;

const network = networkOfDag(dag, [tracker.wsUrl]);
const vite = await startBenchVite(network, { genesisId: dag.genesisId, txs: dagTexts });

/** The raw limit part 1 measured, tx/s. */
let rawLimit = 0;

/** Parts 2 and 3: a fresh tab joins the Node peer's network, then reloads with what it stored. */
async function joinAndReload(browser: Browser): Promise<void> {
  // 2. A fresh tab joins the network the Node peer serves.
  const join = await joinFreshTab(browser, vite.origin, size, timeoutS, values.profile);
  const { context, page, tab } = join;
  console.log('\n2. a fresh tab joins a network of one Node peer');
  printJoin(join, {
    wireBytes: wires.sent + wires.received,
    dagBytes,
    peerDrops,
    rawRate: rawLimit,
  });

  // 3. Reload with what is stored: how soon after navigation the balance is known.
  await page.goto(`${vite.origin}/bench/pages/syncNode.html?autostart`);
  await page.waitForFunction(() => 'syncNode' in window);
  let shown: number | null = null;
  const reloadStart = Date.now();
  while ((shown = await tab.balanceShownMs()) === null && Date.now() - reloadStart < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log(`\n3. reload with ${fmt(join.accepted)} stored`);
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
  await peer.destroy();
  await tracker.close();
}

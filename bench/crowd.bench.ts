// `npm run bench:crowd`: a crowd of newcomers joins one always-on node at once (issue 18 item 2), on
// loopback (bench/support/crowd.ts: the full node in a process of its own on SQLite, each newcomer the
// tab's gossip code over node-datachannel on a tracker of its own, the node its only possible peer).
//  1. The raw baseline, same run, same node: one newcomer alone joins (time, tx/s).
//  2. The crowd: --newcomers at once. Completion times p50/p95/max and their ratio to the baseline; how
//     many finished; the node's resident memory (before, peak, per connection) and CPU time per
//     newcomer; its RTCPeerConnections at most (counted in its process) against its maximum; how many
//     it told to come back (BUSY), let go idle, answered late, declined; peers dropped on either side.
// The newcomers run in --processes child processes (split evenly; the node in its own), so the crowd is
// not bounded by one thread of the bench's; their peak resident memory is printed. They are the bench's
// load generators, the node is what it measures: the newcomers of one process verify each signature once
// between them (bench/support/verdictCache.ts; each one's ledger still checks everything else itself).
// --tabs fresh headless Chromium tabs (default 3; 0: none) join at the same moment as the Node newcomers
// (bench/support/crowdTabs.ts: the bench page with the real workers and WebRTC bridge, each on a loopback
// tracker of its own that the node announces to), under the same maximum of the node's: per tab its join
// time and tx/s, honest peers it dropped, BUSYs it was told. They are counted on a line of their own, not
// in "finished"; the node's figures (served, CPU per newcomer, connections, BUSY) include them.
// Timing figures on a shared machine are noisy: the load average is printed at start and end.
// Usage: npm run bench:crowd [-- --newcomers N] [--size N] [--max N] [--timeout S] [--processes N]
//        [--tabs N]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { launchChromium } from '../test/support/chromium.ts';
import { networkConfigOf } from '../test/support/fullNodeNetwork.ts';
import { startViteHarness } from '../test/support/viteHarness.ts';
import { DEFAULT_MAX_CONNECTIONS, gossipPeersOf, reserveOf } from '../src/node/rtcConnectionGate.ts';
import { dagNetworkOf } from '../test/support/dagNetwork.ts';
import { loadOrGenerateDag } from './dagCache.ts';
import { percentile } from './sim/percentile.ts';
import { openCrowdNode, runCrowd, type CrowdRun } from './support/crowd.ts';
import { openCrowdTabs, type CrowdTabResult, type CrowdTabs } from './support/crowdTabs.ts';
import { fmt, line, mb, perS } from './support/freshTab.ts';

const { values } = parseArgs({
  options: {
    newcomers: { type: 'string', default: '200' },
    size: { type: 'string', default: '20000' },
    max: { type: 'string', default: String(DEFAULT_MAX_CONNECTIONS) },
    timeout: { type: 'string', default: '1800' },
    processes: { type: 'string', default: '4' },
    tabs: { type: 'string', default: '3' },
  },
});
const newcomers = Number(values.newcomers);
const size = Number(values.size);
const max = Number(values.max);
const timeoutMs = Number(values.timeout) * 1000;
const processes = Number(values.processes);
const tabCount = Number(values.tabs);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

console.log(`load average at start: ${load()} (2 cores shared with other work: timings are noisy)`);
const dag = dagNetworkOf(await loadOrGenerateDag(size));
console.log(
  `DAG: ${fmt(dag.txs.length)} txs; node maximum ${max} RTCPeerConnections ` +
    `(${gossipPeersOf(max)} gossip peers, ${reserveOf(max)} reserved for answering newcomers)`,
);
console.log(
  `newcomers in ${processes} processes; those of one process verify each signature once between them ` +
    `(load generators: the node is measured)`,
);
// A tracker for each newcomer, then one for each tab.
const crowd = await openCrowdNode(dag, Math.max(1, newcomers) + tabCount, max);
const cleanup: (() => Promise<void>)[] = [];
try {
  const alone = await runCrowd(crowd, 1, { timeoutMs, processes: 1 });
  const baselineMs = alone.newcomers[0]!.joinMs;
  if (baselineMs === undefined) throw new Error('the lone newcomer did not finish');
  console.log('\n1. baseline: one newcomer alone');
  line('join', `${seconds(baselineMs)}, ${fmt(perS(dag.txs.length, baselineMs))} tx/s`);
  line('node CPU for it', `${fmt((alone.after.cpuMicros - alone.before.cpuMicros) / 1000)} ms`);

  // The tabs' pages load (Vite transforms every module for the first) before the crowd's clock starts.
  let tabs: CrowdTabs | undefined;
  let tabResults: CrowdTabResult[] = [];
  if (tabCount > 0) {
    const vite = await startViteHarness();
    cleanup.push(() => vite.close());
    const browser = await launchChromium();
    cleanup.push(() => browser.close());
    const networks = crowd.trackers
      .slice(newcomers, newcomers + tabCount)
      .map((t) => networkConfigOf(dag.network, [t.wsUrl]));
    const loadStart = performance.now();
    tabs = await openCrowdTabs(browser, vite.origin, networks);
    cleanup.unshift(() => tabs!.close());
    console.log(
      `\n${tabCount} Chromium tabs loaded in ${seconds(performance.now() - loadStart)} (not timed)`,
    );
  }

  let reported = 0;
  const run = await runCrowd(crowd, newcomers, {
    timeoutMs,
    processes,
    shareVerdicts: true,
    sampleMs: 5000,
    log: (text) => {
      // A line per tenth of the crowd.
      if (++reported % Math.max(1, Math.round(newcomers / 10)) === 0) console.log(`  ${text}`);
    },
    ...(tabs && {
      alongside: async () => {
        let done = 0;
        tabResults = await tabs.join(dag.txs.length, timeoutMs, (ms) =>
          console.log(`  ${++done} of ${tabCount} tabs hold all ${dag.txs.length} txs (${seconds(ms)})`),
        );
      },
    }),
  });
  printCrowd(run, baselineMs, tabResults);
} finally {
  for (const close of cleanup) await close().catch((err: unknown) => console.error(String(err)));
  await crowd.close();
  console.log(`\nload average at end: ${load()}`);
}

function printCrowd(run: CrowdRun, baselineMs: number, tabs: readonly CrowdTabResult[]): void {
  const finished = run.newcomers.filter((n) => n.joinMs !== undefined);
  const tabsFinished = tabs.filter((t) => t.joinMs !== undefined);
  // The node served the tabs too: its totals and per-newcomer figures count them.
  const served = finished.length + tabsFinished.length;
  const peers = newcomers + tabs.length;
  const joins = finished.map((n) => n.joinMs!).sort((a, b) => a - b);
  const p50 = percentile(joins, 50);
  const p95 = percentile(joins, 95);
  const worst = joins.at(-1) ?? NaN;
  const s = run.after.status;
  const cpuMs = (run.after.cpuMicros - run.before.cpuMicros) / 1000;
  const grown = run.rssPeak - run.before.rss;
  console.log(
    `\n2. ${newcomers} Node newcomers${tabs.length ? ` and ${tabs.length} Chromium tabs` : ''} at once`,
  );
  line(
    'finished (Node newcomers)',
    `${finished.length} of ${newcomers} hold all ${fmt(dag.txs.length)} txs after ${seconds(run.ms)}`,
  );
  line('join p50 / p95 / max', `${seconds(p50)} / ${seconds(p95)} / ${seconds(worst)}`);
  line(
    '  / baseline (one alone)',
    `${(p50 / baselineMs).toFixed(1)}× / ${(p95 / baselineMs).toFixed(1)}× / ${(worst / baselineMs).toFixed(1)}×`,
  );
  line(
    'node served',
    `${fmt(perS(served * dag.txs.length, run.ms))} tx/s to the crowd in all${tabs.length ? ' (tabs included)' : ''}, against ` +
      `${fmt(perS(dag.txs.length, baselineMs))} to one alone (${(perS(served * dag.txs.length, run.ms) / perS(dag.txs.length, baselineMs)).toFixed(2)}×)`,
  );
  line(
    'node resident memory',
    `${mb(run.before.rss)} before, ${mb(run.rssPeak)} at peak (${run.samples} samples), ` +
      `+${mb(grown)}: ${fmt(grown / Math.max(1, run.after.rtcPeak) / 1024)} KB per connection at peak`,
  );
  line(
    'node CPU',
    `${fmt(cpuMs)} ms in all: ${fmt(cpuMs / peers)} ms per newcomer${tabs.length ? ' (tabs included)' : ''}, ` +
      `${((cpuMs / run.ms) * 100).toFixed(0)}% of a core over the run`,
  );
  line(
    'RTCPeerConnections',
    `peak ${run.after.rtcPeak} counted in the node's process (its gate: ${s.connectionsPeak}) of a maximum ${s.maxConnections}; ` +
      `${run.peersPeak} gossip peers at most`,
  );
  line(
    'come back',
    `${fmt(s.turnedAway)} BUSY sent, ${fmt(s.released)} idle peers let go, ${fmt(s.answeredLate)} offers answered late, ` +
      `${fmt(s.declined)} declined; ${run.newcomers.filter((n) => n.busyBeforeDone > 0).length} newcomers told to come back before done`,
  );
  line(
    'newcomer processes',
    `${run.newcomerRssPeaks.length}, peak resident memory ${run.newcomerRssPeaks.map(mb).join(', ')}; ` +
      `${fmt(run.verdicts.verified)} signatures verified, ${fmt(run.verdicts.reused)} verdicts reused`,
  );
  const dropped = run.newcomers.flatMap((n) => n.misbehaviour);
  const tabDrops = tabs.reduce((sum, t) => sum + t.misbehaving, 0);
  line(
    'dropped as misbehaving',
    `${run.after.drops.length} by the node, ${dropped.length} by Node newcomers` +
      (tabs.length ? `, ${tabDrops} by tabs` : ''),
  );
  for (const problem of [...run.after.drops, ...dropped].slice(0, 5)) console.log(`  ${problem}`);
  const timedOut = run.newcomers.flatMap((n) => n.unresponsive);
  line('closed for a time-out', `${s.unresponsive} by the node, ${timedOut.length} by newcomers (no blame)`);
  for (const problem of timedOut.slice(0, 3)) console.log(`  ${problem}`);
  if (tabs.length) printTabs(tabs);
}

function printTabs(tabs: readonly CrowdTabResult[]): void {
  const done = tabs.filter((t) => t.joinMs !== undefined).length;
  line('Chromium tabs (not in "finished")', `${done} of ${tabs.length} hold all ${fmt(dag.txs.length)} txs`);
  tabs.forEach((t, i) => {
    const join =
      t.joinMs === undefined
        ? `not done after ${seconds(t.elapsedMs)}: ${fmt(t.accepted)} accepted, ${fmt(perS(t.accepted, t.elapsedMs))} tx/s`
        : `joined in ${seconds(t.joinMs)}, ${fmt(perS(t.accepted, t.joinMs))} tx/s`;
    line(
      `  tab ${i + 1}`,
      `${join}; dropped ${t.misbehaving} honest peers; told BUSY ${t.busyBeforeDone} times before done ` +
        `(${t.busyTotal} in all); ${t.peers} gossip peers at the end`,
    );
  });
}

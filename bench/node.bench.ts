// `npm run bench:node`: the full node (src/node/openFullNode.ts, what `torrenttx node` runs) on a
// generated DAG (default 100,000 txs, cached by bench/dagCache.ts), on loopback:
//  1. --import throughput (ledger + SQLite, IMPORT_BATCH per transaction) in txs/s next to raw native
//     Ed25519 verifies/s (bare node:crypto) on the same transactions, measured in this run (target ratio
//     ≥ 0.7; strict noble's rate is printed beside it); the
//     database's bytes per tx. One tx (childless, a third of the way in) is imported last, after the
//     database was copied: the copy is the peer of part 5 that lacks it.
//  2. The node in a process of its own (bench/support/fullNodeProcess.ts) with two loopback trackers (a
//     stock bittorrent-tracker that counts announces, and the TorrentTX tracker, server/trackerServer.ts)
//     and a loopback DHT bootstrap node: its resident memory with everything stored and seeded (target
//     ≤ 500 MB); the announces per second the stock tracker (WebSocket, HTTP) and the DHT node receive
//     from it, in 10 s slices (the hot set starting, then the rolling schedule, rollingAnnouncer.ts); how
//     many infohashes the TorrentTX tracker's record took; its RTCPeerConnections and sockets.
//  3. A fresh Chromium tab syncs everything from the node alone: the figures bench:sync prints for its
//     join (time, tx/s, drops, wire bytes, worker heap, IndexedDB, longest task). Then another fresh tab
//     joins bench:sync's serving peer (bench/support/memoryPeer.ts: the memory ledger, in this process,
//     on a tracker of its own) in the same run; the node's rate / that rate (target ≥ 0.8).
//  4. --tabs fresh tabs (default 20, one browser, a context each) connect to the node: its gossip peers,
//     RTCPeerConnections, TCP sockets and memory once they are connected.
//  5. Reconnect after missing 1 tx (issue 7): a second full node on the copy that lacks one tx comes
//     online; bytes both ways on its wires (everything a bittorrent-protocol Wire carries; WebRTC's own
//     DTLS/SCTP framing is not counted) until it has accepted the missing tx (target ≤ 16 KB), and the
//     reconciliation rounds each side ran (SYNC frames).
//  6. With --hot N (default 2,000; 0 skips): the node again with N hot torrents, for the memory each costs.
// Usage: npm run bench:node [-- --size N] [--tabs N] [--window S] [--timeout S] [--hot N] [--profile DIR]
//   [--only import]
// --only import: part 1 alone (no trackers, browser or second node), for working on the import's speed;
// run it under `node --cpu-prof` (as the bench:node script runs, plus that flag) for where its time goes.
// --profile DIR: the node's process writes a V8 CPU profile of its whole life into DIR (--cpu-prof);
// with --tabs 0 --window 0 --hot 0 that is mostly part 3's join.
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { parseTx } from '../src/core/parseTx.ts';
import { txIdOf } from '../src/core/txId.ts';
import { HOT_TORRENTS } from '../src/node/hotSeeds.ts';
import { openFullNode } from '../src/node/openFullNode.ts';
import { RECORD_KNOWN_NEW, RECORD_KNOWN_OWNED } from '../server/trackerRecord.ts';
import { startTracker } from '../server/trackerServer.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { startTestTracker } from '../test/support/tracker.ts';
import { loadOrGenerateDag } from './dagCache.ts';
import { rawNativeVerifyRate, rawVerifyRate } from './rawVerifyRate.ts';
import {
  fmt,
  joinFreshTab,
  line,
  mb,
  openBenchTab,
  perS,
  printJoin,
  startBenchVite,
} from './support/freshTab.ts';
import { startFullNodeChild } from './support/fullNodeChild.ts';
import type { FullNodeFigures } from './support/fullNodeProcess.ts';
import { startLoopbackDht } from './support/loopbackDht.ts';
import { startMemoryPeer } from './support/memoryPeer.ts';
import { networkOfDag } from './support/networkOfDag.ts';
import { countWires } from './support/wireCounter.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    tabs: { type: 'string', default: '20' },
    window: { type: 'string', default: '60' },
    timeout: { type: 'string' },
    hot: { type: 'string', default: '2000' },
    profile: { type: 'string' },
    only: { type: 'string' },
  },
});
const size = Number(values.size);
const tabCount = Number(values.tabs);
const windowS = Number(values.window);
const timeoutS = Number(values.timeout ?? Math.max(60, Math.ceil(size / 100)));
const hot = Number(values.hot);
if (values.only !== undefined && values.only !== 'import') throw new Error('--only takes: import');
/** Announces are counted per slice of this many seconds, over --window seconds. */
const SLICE_S = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const dag = await loadOrGenerateDag(size);
const dagBytes = dag.txs.reduce((sum, bytes) => sum + bytes.length, 0);
console.log(`DAG: ${fmt(dag.txs.length)} txs, ${mb(dagBytes)} of tx.json`);

/** A transaction no other spends, a third of the way in: a peer lacking it holds no orphan. */
function childlessTx(): number {
  const parents = new Set<string>();
  for (const bytes of dag.txs) {
    const parsed = parseTx(bytes);
    if (parsed.ok && parsed.tx.prev !== null) parents.add(parsed.tx.prev);
  }
  for (let i = Math.floor(dag.txs.length / 3); i < dag.txs.length; i++) {
    if (!parents.has(txIdOf(dag.txs[i]!))) return i;
  }
  throw new Error('no childless tx in the DAG');
}
const missingIndex = childlessTx();
const missingId = txIdOf(dag.txs[missingIndex]!);
const allButOne = dag.txs.filter((_, i) => i !== missingIndex);

const scratch = mkdtempSync(join(tmpdir(), 'torrenttx-bench-node-'));
const dirA = join(scratch, 'a');
const dirB = join(scratch, 'b');
const cleanup: (() => Promise<void>)[] = [];
try {
  // 1. Import.
  const nobleRate = rawVerifyRate(dag.txs);
  const nativeRate = rawNativeVerifyRate(dag.txs);
  const offline = networkOfDag(dag, []);
  {
    const full = await openFullNode({ network: offline, dataDir: dirA, dht: false });
    const t0 = performance.now();
    await full.importLines(allButOne);
    const importRate = (allButOne.length / (performance.now() - t0)) * 1000;
    const { accepted } = await full.status();
    if (accepted !== allButOne.length) throw new Error(`only ${accepted} of ${allButOne.length} accepted`);
    await full.close();
    const path = join(dirA, 'ledger.sqlite');
    const bytes = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    console.log('\n1. --import');
    line('import', `${fmt(importRate)} txs/s (ledger + SQLite, one transaction per 1,000)`);
    line('raw native verify', `${fmt(nativeRate)} verifies/s (bare node:crypto, keys imported first)`);
    line('import / native verify', `${(importRate / nativeRate).toFixed(2)}  (target ≥ 0.70)`);
    line(
      '  raw strict noble verify',
      `${fmt(nobleRate)} verifies/s (import / noble ${(importRate / nobleRate).toFixed(2)})`,
    );
    line('database', `${fmt(bytes / allButOne.length)} bytes per tx`);
  }
  if (values.only === 'import') {
    // Nothing else was started: the scratch folder is all there is to clean up.
    rmSync(scratch, { recursive: true, force: true });
    process.exit(0);
  }
  cpSync(dirA, dirB, { recursive: true });
  {
    const full = await openFullNode({ network: offline, dataDir: dirA, dht: false });
    await full.importLines([dag.txs[missingIndex]!]);
    if ((await full.status()).accepted !== dag.txs.length) throw new Error('the last tx was not accepted');
    await full.close();
  }

  // 2. Online: memory and announces.
  const tracker = await startTestTracker();
  cleanup.push(() => tracker.close());
  const dht = await startLoopbackDht();
  cleanup.push(() => dht.close());
  // The TorrentTX tracker (`torrenttx tracker`) beside it, for the node alone: what its record takes
  // of the node's announces, the node listed as the operator's (--known-node: trackerServer.ts).
  mkdirSync(join(scratch, 'tracker'));
  const ttxTracker = await startTracker({
    host: '127.0.0.1',
    port: 0,
    dataDir: join(scratch, 'tracker'),
    knownNodes: ['127.0.0.1'],
    log: () => {},
  });
  cleanup.push(() => ttxTracker.close());
  const network = networkOfDag(dag, [tracker.wsUrl, ttxTracker.wsUrl]);
  type Count = { ws: number; http: number; dht: number; at: number };
  const counted = (): Count => ({ ...tracker.announces, dht: dht.announces, at: performance.now() });
  const t0 = counted();
  const node = await startFullNodeChild(
    { network, dataDir: dirA, dhtBootstrap: dht.bootstrap },
    values.profile,
  );
  cleanup.push(() => node.close());
  const tOnline = counted();
  // Counted in slices of SLICE_S: the hot set's announces when it starts, then the rolling schedule.
  const slices: Count[] = [tOnline];
  while ((slices.length - 1) * SLICE_S < windowS) {
    await sleep(SLICE_S * 1000);
    slices.push(counted());
  }
  const alone = await node.figures();
  const rate = (from: Count, to: Count, key: 'ws' | 'http' | 'dht') =>
    (((to[key] - from[key]) / (to.at - from.at)) * 1000).toFixed(1).padStart(6);
  console.log(`\n2. the node online (own process, loopback trackers and DHT bootstrap node)`);
  line('online after', seconds(tOnline.at - t0.at));
  line(
    'resident memory',
    `${mb(alone.rss)} (heap ${mb(alone.heapUsed)}) with ${fmt(alone.status.accepted)} txs stored, ${alone.status.hotTorrents} hot  (target ≤ 500 MB)`,
  );
  line('announces received per second', 'tracker WebSocket, tracker HTTP (one of two), DHT announce_peer');
  line(
    '  while opening (before online)',
    `${rate(t0, tOnline, 'ws')} ${rate(t0, tOnline, 'http')} ${rate(t0, tOnline, 'dht')}`,
  );
  for (let i = 1; i < slices.length; i++) {
    const [from, to] = [slices[i - 1]!, slices[i]!];
    line(
      `  online ${(i - 1) * SLICE_S}–${i * SLICE_S} s`,
      `${rate(from, to, 'ws')} ${rate(from, to, 'http')} ${rate(from, to, 'dht')}`,
    );
  }
  line(
    'rolling schedule (the node says)',
    `${alone.status.coldAnnouncesPerSecond.toFixed(0)}/s over HTTP trackers + DHT, for ${fmt(alone.status.accepted - alone.status.hotTorrents - 1)} cold txs`,
  );
  line(
    'TorrentTX tracker record',
    `${fmt(ttxTracker.record.size)} infohashes after ${seconds(slices.at(-1)!.at - t0.at)}, ` +
      `${fmt(alone.status.coldAnnouncesRefused)} of the node's announces refused (a known node: ` +
      `${fmt(RECORD_KNOWN_NEW.burst)} new at once, then ${fmt(RECORD_KNOWN_NEW.perMinute)}/min; ${fmt(RECORD_KNOWN_OWNED)} owned)`,
  );
  printResources('sockets, node alone', alone);

  // 3. A fresh tab syncs everything from the node alone.
  // The tabs meet the node on the stock tracker (the TorrentTX one allows 32 sockets per address).
  const vite = await startBenchVite(networkOfDag(dag, [tracker.wsUrl]));
  cleanup.push(() => vite.close());
  const browser = await launchChromium();
  cleanup.push(() => browser.close());
  {
    const joined = await joinFreshTab(browser, vite.origin, dag.txs.length, timeoutS);
    const served = await node.figures();
    console.log(`\n3. a fresh tab syncs ${fmt(dag.txs.length)} txs from the node alone`);
    printJoin(joined, {
      wireBytes: served.wires.sent + served.wires.received,
      dagBytes,
      peerDrops: served.drops,
    });
    await joined.context.close();

    // The yardstick, same run: bench:sync's serving peer, alone on a tracker (and a page) of its own.
    const peerTracker = await startTestTracker();
    const peer = await startMemoryPeer(dag, peerTracker.wsUrl);
    const peerVite = await startBenchVite(networkOfDag(dag, [peerTracker.wsUrl]));
    try {
      const fromPeer = await joinFreshTab(browser, peerVite.origin, dag.txs.length, timeoutS);
      console.log(
        `\n3b. a fresh tab syncs ${fmt(dag.txs.length)} txs from bench:sync's peer (memory ledger)`,
      );
      printJoin(fromPeer, {
        wireBytes: peer.wires.sent + peer.wires.received,
        dagBytes,
        peerDrops: peer.peerDrops,
      });
      await fromPeer.context.close();
      const nodeRate = perS(joined.accepted, joined.joinMs);
      const peerRate = perS(fromPeer.accepted, fromPeer.joinMs);
      line(
        'join from the node / from the peer',
        `${fmt(nodeRate)} / ${fmt(peerRate)} tx/s = ${(nodeRate / peerRate).toFixed(2)}  (target ≥ 0.80)`,
      );
    } finally {
      await peerVite.close();
      await peer.destroy();
      await peerTracker.close();
    }
  }

  // 4. Many tabs at once.
  if (tabCount > 0) {
    const contexts: BrowserContext[] = [];
    const tabs: Awaited<ReturnType<typeof openBenchTab>>['tab'][] = [];
    const tOpen = performance.now();
    let failed = 0;
    for (let i = 0; i < tabCount; i++) {
      try {
        const { context, tab } = await openBenchTab(browser, vite.origin);
        contexts.push(context);
        tabs.push(tab);
        void tab.start().catch(() => {}); // the tab may close before its node is up
      } catch (err) {
        failed++;
        console.log(`tab ${i + 1} did not open: ${String(err).split('\n')[0]}`);
      }
    }
    const tOpened = performance.now();
    let figures = await node.figures();
    while (figures.status.peers < tabCount && performance.now() - tOpened < 120_000) {
      await sleep(1000);
      figures = await node.figures();
    }
    console.log(`\n4. ${tabCount} fresh tabs connect to the node (they start syncing)`);
    const peersOfTabs = (await Promise.all(tabs.map((tab) => tab.progress().catch(() => null))))
      .map((progress) => progress?.peers ?? 0)
      .sort((a, b) => a - b);
    line(
      'time',
      `${seconds(tOpened - tOpen)} to open the tabs, then ${seconds(performance.now() - tOpened)}: ` +
        `${figures.status.peers} of ${tabCount} tabs connected to the node${failed ? ` (${failed} did not open)` : ''}`,
    );
    line(
      "tabs' own gossip peers",
      `min ${peersOfTabs[0]}, median ${peersOfTabs[Math.floor(peersOfTabs.length / 2)]}, max ${peersOfTabs.at(-1)} (the node and other tabs)`,
    );
    printResources(`with ${tabCount} tabs`, figures);
    line('resident memory', mb(figures.rss));
    await Promise.all(contexts.map((context) => context.close()));
  }

  // 5. Reconnect after missing one tx.
  {
    const peer = await openFullNode({ network, dataDir: dirB, dht: false, rtcBindAddress: '127.0.0.1' });
    cleanup.push(() => peer.close());
    const wires = countWires(peer.client, (infoHash) => infoHash === dag.genesisId);
    const txWires = countWires(peer.client, (infoHash) => infoHash !== dag.genesisId);
    if ((await peer.store.getTx(missingId))?.status === 'accepted') throw new Error('the copy has the tx');
    const start = performance.now();
    await peer.start();
    const started = performance.now();
    while ((await peer.store.getTx(missingId))?.status !== 'accepted') {
      if (performance.now() - start > 300_000) throw new Error('the missing tx never came');
      await sleep(5);
    }
    const accepted = performance.now();
    const wireAt = wires.firstWireAt ?? accepted;
    const bytes = wires.sent + wires.received;
    const frames = (of: Record<string, number>) =>
      Object.entries(of)
        .map(([type, n]) => `${n} ${type}`)
        .join(', ');
    console.log(`\n5. reconnect after missing 1 tx of ${fmt(dag.txs.length)}`);
    line(
      'bytes both ways until accepted',
      `${fmt(bytes)} B on the swarm's wire (${fmt(wires.sent)} sent, ${fmt(wires.received)} received; ${wires.wires} wire)  (target ≤ 16,384)`,
    );
    line(
      '  and on transaction torrents',
      `${fmt(txWires.sent + txWires.received)} B on ${txWires.wires} wires (TCP between hot seeds: not the exchange)`,
    );
    line(
      'reconciliation rounds',
      `${wires.framesSent.sync ?? 0} SYNC from the peer, ${wires.framesReceived.sync ?? 0} SYNC from the node`,
    );
    line('frames sent', frames(wires.framesSent));
    line('frames received', frames(wires.framesReceived));
    line(
      'time',
      `start() ${seconds(started - start)}, the swarm's wire open ${seconds(wireAt - start)} after it began, ` +
        `accepted ${seconds(accepted - wireAt)} after that`,
    );
    await peer.close();
    cleanup.pop();
  }

  // 6. Memory per hot torrent.
  if (hot > HOT_TORRENTS) {
    await node.close(); // closing again at the end does nothing
    const bigger = await startFullNodeChild({
      network,
      dataDir: dirA,
      dhtBootstrap: dht.bootstrap,
      hotTorrents: hot,
    });
    cleanup.push(() => bigger.close());
    await sleep(SLICE_S * 1000);
    const figures = await bigger.figures();
    console.log(`\n6. the node with ${fmt(hot)} hot torrents`);
    line('resident memory', mb(figures.rss));
    line(
      'per hot torrent',
      `${fmt((figures.rss - alone.rss) / (hot - HOT_TORRENTS) / 1024)} KB  (against part 2's ${HOT_TORRENTS})`,
    );
  }
} finally {
  for (const close of cleanup.reverse()) await close().catch((err) => console.error(String(err)));
  rmSync(scratch, { recursive: true, force: true });
}

function printResources(label: string, f: FullNodeFigures): void {
  line(
    label,
    `${f.status.peers} gossip peers, ${f.rtcPeerConnections} RTCPeerConnections (${f.rtcConnected} connected), ` +
      `${f.tcpSockets} TCP sockets (${f.tcpToTrackers} to the trackers) + ${f.tcpServers} listening, ${f.udpSockets} UDP`,
  );
}

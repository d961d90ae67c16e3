// A crowd of newcomers joining one always-on node at once (issue 18 item 2), for test/node/crowd.test.ts
// and `npm run bench:crowd`.
// - The node is the full node (src/node/openFullNode.ts) in a process of its own (fullNodeProcess.ts) on
//   a SQLite ledger holding the whole DAG, so its resident memory, CPU time and RTCPeerConnections are
//   its own and counted in that process, independently of the node's own gate.
// - Each newcomer is a Node peer (test/support/nodePeer.ts: the tab's NetworkNode and gossip code over
//   node-datachannel, a memory ledger, strict native Ed25519) on a loopback tracker of its own, which the
//   node announces to as well: the node is every newcomer's only possible peer. Newcomers that met each
//   other would spare the node work; this is the node's worst case, and every come-back after a BUSY
//   must reach the node itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeStrictVerifier } from '../../src/node/nativeEd25519Verifier.ts';
import { openFullNode } from '../../src/node/openFullNode.ts';
import type { DagNetwork } from '../../test/support/dagNetwork.ts';
import { networkConfigOf } from '../../test/support/fullNodeNetwork.ts';
import { startNodePeer, waitFor, type NodePeer } from '../../test/support/nodePeer.ts';
import { startTestTracker, type TestTracker } from '../../test/support/tracker.ts';
import { startFullNodeChild, type FullNodeChild } from './fullNodeChild.ts';
import type { FullNodeFigures } from './fullNodeProcess.ts';

/** The node's rolling announcer would send every cold tx to every newcomer's tracker: one cycle a day. */
const ROLL_CYCLE_MS = 24 * 3600 * 1000;

export interface CrowdNode {
  readonly dag: DagNetwork;
  readonly trackers: readonly TestTracker[];
  readonly node: FullNodeChild;
  close(): Promise<void>;
}

/**
 * Imports the DAG into a fresh SQLite ledger, starts `trackers` loopback trackers and the node on them
 * (in its own process) with `maxConnections` (absent: the node's default).
 */
export async function openCrowdNode(
  dag: DagNetwork,
  trackers: number,
  maxConnections?: number,
): Promise<CrowdNode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'torrenttx-crowd-'));
  const offline = await openFullNode({ network: networkConfigOf(dag.network, []), dataDir, dht: false });
  await offline.importLines(dag.txs);
  const { accepted } = await offline.status();
  await offline.close();
  if (accepted !== dag.txs.length) throw new Error(`the node accepted ${accepted} of ${dag.txs.length}`);
  // A newcomer leaving mid-offer at the end (or a BUSY closing one) leaves an answer with nobody to take it.
  const started = await Promise.all(
    Array.from({ length: trackers }, () => startTestTracker(0, { peersLeaveMidOffer: true })),
  );
  const node = await startFullNodeChild({
    network: networkConfigOf(
      dag.network,
      started.map((t) => t.wsUrl),
    ),
    dataDir,
    hotTorrents: 1,
    rollCycleMs: ROLL_CYCLE_MS,
    ...(maxConnections === undefined ? {} : { maxConnections }),
  });
  return {
    dag,
    trackers: started,
    node,
    async close() {
      await node.close();
      await Promise.all(started.map((t) => t.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const stalled = new WeakSet<CrowdStall>();

/** Stalls the thread once, after the event being handled (in the check phase, as a collection might). */
function stallOnce(stall: CrowdStall, peers: readonly NodePeer[]): void {
  if (stalled.has(stall)) return;
  if (peers.reduce((sum, p) => sum + p.node.status().sync.accepted, 0) < stall.afterAccepted) return;
  stalled.add(stall);
  setImmediate(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, stall.ms));
}

export interface NewcomerResult {
  /** ms from its start to holding every transaction; undefined if it did not within the time-out. */
  readonly joinMs: number | undefined;
  readonly accepted: number;
  /** BUSYs it was told before it held everything (each followed by a come-back, or it did not finish). */
  readonly busyBeforeDone: number;
  readonly busyTotal: number;
  /** Gossip sessions it began before it held everything (the ones that ended in BUSY among them). */
  readonly sessionsBeforeDone: number;
  /** Problems it disconnected a peer for (the node, here). */
  readonly misbehaviour: readonly string[];
  /** Time-outs it closed a peer for, without blame (the node, here). */
  readonly unresponsive: readonly string[];
}

export interface CrowdRun {
  readonly newcomers: readonly NewcomerResult[];
  /** The node's figures before the newcomers started, and once all were done (or the time-out). */
  readonly before: FullNodeFigures;
  readonly after: FullNodeFigures;
  /** The most resident memory and gossip peers the node had in any sample, and the samples taken. */
  readonly rssPeak: number;
  readonly peersPeak: number;
  readonly samples: number;
  /** From the first newcomer's start to the last one's end (or the time-out). */
  readonly ms: number;
}

/**
 * The newcomers' thread stands still for `ms` once they hold `afterAccepted` transactions together, as
 * in a long garbage collection or on a device under load: their peers' answers wait in the sockets.
 */
export interface CrowdStall {
  readonly afterAccepted: number;
  readonly ms: number;
}

/**
 * Starts `count` newcomers at once, one on each of the first `count` trackers, and waits until every one
 * holds the whole DAG (or `timeoutMs`); samples the node every `sampleMs`. Closes the newcomers.
 */
export async function runCrowd(
  crowd: CrowdNode,
  count: number,
  {
    timeoutMs,
    sampleMs = 2000,
    log,
    stall,
  }: { timeoutMs: number; sampleMs?: number; log?: (text: string) => void; stall?: CrowdStall },
): Promise<CrowdRun> {
  if (count > crowd.trackers.length)
    throw new RangeError(`${count} newcomers on ${crowd.trackers.length} trackers`);
  const total = crowd.dag.txs.length;
  const before = await crowd.node.figures();
  let rssPeak = before.rss;
  let peersPeak = before.status.peers;
  let samples = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((resolve) => setTimeout(resolve, sampleMs));
      if (!sampling) break;
      const f = await crowd.node.figures();
      samples++;
      rssPeak = Math.max(rssPeak, f.rss);
      peersPeak = Math.max(peersPeak, f.status.peers);
    }
  })();
  const t0 = performance.now();
  const verify = nodeStrictVerifier();
  const peers: NodePeer[] = [];
  const results: NewcomerResult[] = [];
  let done = 0;
  try {
    const joins = crowd.trackers.slice(0, count).map(async (tracker) => {
      const start = performance.now();
      const peer = await startNodePeer(crowd.dag.network, tracker.wsUrl, { verify });
      peers.push(peer);
      if (stall) peer.onEvent(() => stallOnce(stall, peers));
      const holdsAll = () => peer.node.status().sync.accepted >= total;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finished = await Promise.race([
        waitFor('a newcomer to hold every transaction', [peer], holdsAll).then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      const doneAt = Date.now();
      const busyBeforeDone = peer.busy.filter((b) => b.at <= doneAt).length;
      const sessionsBeforeDone = peer.sessionsBegun();
      if (finished) log?.(`${++done} of ${count} newcomers hold all ${total} txs`);
      return { peer, finished, joinMs: performance.now() - start, busyBeforeDone, sessionsBeforeDone };
    });
    for (const join of await Promise.all(joins)) {
      const counts = await join.peer.store.statusCounts();
      results.push({
        joinMs: join.finished ? join.joinMs : undefined,
        accepted: counts.accepted ?? 0,
        busyBeforeDone: join.busyBeforeDone,
        busyTotal: join.peer.busy.length,
        sessionsBeforeDone: join.sessionsBeforeDone,
        misbehaviour: [...join.peer.misbehaviour],
        unresponsive: [...join.peer.unresponsive],
      });
    }
  } finally {
    sampling = false;
    await sampler;
  }
  const ms = performance.now() - t0;
  const after = await crowd.node.figures();
  await Promise.all(peers.map((peer) => peer.close()));
  return {
    newcomers: results,
    before,
    after,
    rssPeak: Math.max(rssPeak, after.rss),
    peersPeak: Math.max(peersPeak, after.status.peers),
    samples,
    ms,
  };
}

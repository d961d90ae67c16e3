// A crowd of newcomers joining one always-on node at once (issue 18 item 2), for test/node/crowd.test.ts
// and `npm run bench:crowd`.
// - The node is the full node (src/node/openFullNode.ts) in a process of its own (fullNodeProcess.ts) on
//   a SQLite ledger holding the whole DAG, so its resident memory, CPU time and RTCPeerConnections are
//   its own and counted in that process, independently of the node's own gate.
// - Each newcomer is a Node peer (crowdNewcomers.ts: the tab's NetworkNode and gossip code over
//   node-datachannel, a memory ledger, strict native Ed25519) on a loopback tracker of its own, which the
//   node announces to as well: the node is every newcomer's only possible peer. Newcomers that met each
//   other would spare the node work; this is the node's worst case, and every come-back after a BUSY
//   must reach the node itself.
// - The newcomers run in this process (the CI-size tests) or in child processes (newcomerChildren.ts:
//   the bench, so that the crowd is not bounded by one thread of the bench's own).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFullNode } from '../../src/node/openFullNode.ts';
import type { DagNetwork } from '../../test/support/dagNetwork.ts';
import { networkConfigOf } from '../../test/support/fullNodeNetwork.ts';
import { startTestTracker, type TestTracker } from '../../test/support/tracker.ts';
import { joinNewcomers, type CrowdStall, type NewcomerResult } from './crowdNewcomers.ts';
import { startFullNodeChild, type FullNodeChild } from './fullNodeChild.ts';
import type { FullNodeFigures } from './fullNodeProcess.ts';
import { startNewcomerChildren, type NewcomersJoined } from './newcomerChildren.ts';

export type { CrowdStall, NewcomerResult } from './crowdNewcomers.ts';

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

export interface CrowdRun {
  readonly newcomers: readonly NewcomerResult[];
  /** Each newcomer process's peak resident memory, bytes (none when they ran in the bench's process). */
  readonly newcomerRssPeaks: readonly number[];
  /** Signatures the newcomers verified, and verdicts they reused from others in their process. */
  readonly verdicts: { readonly verified: number; readonly reused: number };
  /** The node's figures before the newcomers started, and once all were done (or the time-out). */
  readonly before: FullNodeFigures;
  readonly after: FullNodeFigures;
  /** The most resident memory and gossip peers the node had in any sample, and the samples taken. */
  readonly rssPeak: number;
  readonly peersPeak: number;
  readonly samples: number;
  /** From the first newcomer's start to the last one's end, `alongside`'s included (or the time-out). */
  readonly ms: number;
}

/**
 * Starts `count` newcomers at once, one on each of the first `count` trackers, and waits until every one
 * holds the whole DAG (or `timeoutMs`); samples the node every `sampleMs`. Closes the newcomers.
 * `processes`: run the newcomers in that many child processes, split evenly (absent: in this one).
 * `shareVerdicts`: the newcomers of one process verify each signature once between them (verdictCache.ts).
 * `alongside`: started at the same moment as the newcomers (the bench's Chromium tabs, crowdTabs.ts); the
 * run lasts until it is done too.
 */
export async function runCrowd(
  crowd: CrowdNode,
  count: number,
  {
    timeoutMs,
    sampleMs = 2000,
    log,
    stall,
    processes,
    shareVerdicts = false,
    alongside,
  }: {
    timeoutMs: number;
    sampleMs?: number;
    log?: (text: string) => void;
    stall?: CrowdStall;
    processes?: number;
    shareVerdicts?: boolean;
    alongside?: () => Promise<unknown>;
  },
): Promise<CrowdRun> {
  if (count > crowd.trackers.length)
    throw new RangeError(`${count} newcomers on ${crowd.trackers.length} trackers`);
  if (stall && processes !== undefined) throw new RangeError('a stall stops this process only');
  const total = crowd.dag.txs.length;
  // The newcomer processes load their code before the clock starts.
  const children = processes === undefined ? undefined : await startNewcomerChildren(processes);
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
  let done = 0;
  const onFinished = () => log?.(`${++done} of ${count} newcomers hold all ${total} txs`);
  const trackerUrls = crowd.trackers.slice(0, count).map((t) => t.wsUrl);
  let joined: Omit<NewcomersJoined, 'rssPeaks'> & { rssPeaks?: readonly number[] };
  try {
    const joining =
      children === undefined
        ? joinNewcomers(crowd.dag.network, trackerUrls, total, {
            timeoutMs,
            onFinished,
            stall,
            shareVerdicts,
          })
        : children.join(crowd.dag.network, trackerUrls, total, {
            timeoutMs,
            onFinished,
            shareVerdicts,
          });
    const [newcomers, besides] = await Promise.allSettled([joining, alongside?.()]);
    if (newcomers.status === 'rejected') throw newcomers.reason;
    joined = newcomers.value;
    if (besides.status === 'rejected') {
      await joined.close();
      throw besides.reason;
    }
  } finally {
    sampling = false;
    await sampler;
  }
  const ms = performance.now() - t0;
  const after = await crowd.node.figures();
  await joined.close();
  return {
    newcomers: joined.results,
    newcomerRssPeaks: joined.rssPeaks ?? [],
    verdicts: joined.verdicts,
    before,
    after,
    rssPeak: Math.max(rssPeak, after.rss),
    peersPeak: Math.max(peersPeak, after.status.peers),
    samples,
    ms,
  };
}

// The newcomers of the crowd bench (bench/support/crowd.ts), in whichever process runs them: the bench's
// own (the CI-size tests) or one of its newcomer processes (newcomerProcess.ts). Each newcomer is a Node
// peer (test/support/nodePeer.ts: the tab's NetworkNode and gossip code over node-datachannel, a memory
// ledger, strict native Ed25519) on a loopback tracker of its own.
import { nodeStrictVerifier } from '../../src/node/nativeEd25519Verifier.ts';
import { startNodePeer, waitFor, type NodePeer } from '../../test/support/nodePeer.ts';
import type { TestNetwork } from '../../test/support/testNetwork.ts';
import { verdictCache } from './verdictCache.ts';

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

/**
 * The newcomers' thread stands still for `ms` once they hold `afterAccepted` transactions together, as
 * in a long garbage collection or on a device under load: their peers' answers wait in the sockets.
 */
export interface CrowdStall {
  readonly afterAccepted: number;
  readonly ms: number;
}

export interface NewcomerOptions {
  readonly timeoutMs: number;
  /** Called as each newcomer comes to hold everything. */
  readonly onFinished?: () => void;
  readonly stall?: CrowdStall;
  /** Share signature verdicts among this process's newcomers (verdictCache.ts). */
  readonly shareVerdicts?: boolean;
}

export interface JoinedNewcomers {
  readonly results: readonly NewcomerResult[];
  /** Signatures verified, and answers reused from the shared verdicts (0 when not shared). */
  readonly verdicts: { verified: number; reused: number };
  close(): Promise<void>;
}

const stalled = new WeakSet<CrowdStall>();

/** Stalls the thread once, after the event being handled (in the check phase, as a collection might). */
function stallOnce(stall: CrowdStall, peers: readonly NodePeer[]): void {
  if (stalled.has(stall)) return;
  if (peers.reduce((sum, p) => sum + p.node.status().sync.accepted, 0) < stall.afterAccepted) return;
  stalled.add(stall);
  setImmediate(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, stall.ms));
}

/**
 * Starts a newcomer on each of `trackerUrls` at once and waits until every one holds `total` transactions
 * (or its `timeoutMs`). The newcomers stay up until close().
 */
export async function joinNewcomers(
  network: TestNetwork,
  trackerUrls: readonly string[],
  total: number,
  { timeoutMs, onFinished, stall, shareVerdicts = false }: NewcomerOptions,
): Promise<JoinedNewcomers> {
  const shared = shareVerdicts ? verdictCache(nodeStrictVerifier()) : undefined;
  const verify = shared?.verify ?? nodeStrictVerifier();
  const peers: NodePeer[] = [];
  const joins = trackerUrls.map(async (trackerUrl) => {
    const start = performance.now();
    const peer = await startNodePeer(network, trackerUrl, { verify });
    peers.push(peer);
    if (stall) peer.onEvent(() => stallOnce(stall, peers));
    const holdsAll = () => peer.node.status().sync.accepted >= total;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finished = await Promise.race([
      waitFor('a newcomer to hold every transaction', [peer], holdsAll).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    const joinMs = performance.now() - start;
    const doneAt = Date.now();
    const busyBeforeDone = peer.busy.filter((b) => b.at <= doneAt).length;
    const sessionsBeforeDone = peer.sessionsBegun();
    if (finished) onFinished?.();
    return { peer, finished, joinMs, busyBeforeDone, sessionsBeforeDone };
  });
  const results: NewcomerResult[] = [];
  try {
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
  } catch (err) {
    await Promise.allSettled(peers.map((peer) => peer.close()));
    throw err;
  }
  return {
    results,
    verdicts: shared ? { ...shared.stats } : { verified: 0, reused: 0 },
    close: async () => void (await Promise.all(peers.map((peer) => peer.close()))),
  };
}

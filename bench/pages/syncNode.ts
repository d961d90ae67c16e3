// A node page for `npm run bench:sync`: the real node (startNode, both workers, the bridge) without the
// UI, with the figures the benchmark prints: ledger counts, dropped peers, storage used, main-thread long
// tasks, and how long after navigation the balance was known. With `?autostart` it starts at once (the
// reload measurement). It also runs the ledger replay worker (bench/pages/ledgerReplay.worker.ts).
// Exposes `window.syncNode`.
import { wrap } from 'comlink';
import type { NodeHandle } from '../../src/app/nodeHandle.ts';
import { startNode } from '../../src/app/startNode.ts';
import type { LedgerReplayApi, ReplayFigures } from './ledgerReplay.worker.ts';

let node: NodeHandle | undefined;
let longestTask = 0;
let balanceShownMs: number | null = null;
/** When this page's script began to run, and when startNode resolved (ms after navigation). */
const scriptStartMs = performance.now();
let nodeStartedMs: number | null = null;
let starting: Promise<string> | undefined;

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
}).observe({ type: 'longtask', buffered: true });

function start(): Promise<string> {
  starting ??= (async () => {
    node = await startNode();
    nodeStartedMs = performance.now();
    const snapshot = await node.ledger.snapshot();
    // performance.now() counts from the navigation: this is when the page could show the balance.
    balanceShownMs = performance.now();
    return snapshot.spendable;
  })();
  return starting;
}

if (new URL(location.href).searchParams.has('autostart')) void start();

const api = {
  start,
  balanceShownMs: () => balanceShownMs,
  /** Where the reload's time went: the page's own code loading, then startNode (both workers). */
  reloadSteps: () => ({ scriptStartMs, nodeStartedMs }),
  async progress() {
    const [snapshot, status] = await Promise.all([node!.ledger.snapshot(), node!.network.status()]);
    return { ...snapshot.ledger, peers: status.peers, misbehaving: status.misbehaving, busy: status.busy };
  },
  longestTask: () => longestTask,
  resetLongestTask: () => {
    longestTask = 0;
  },
  usage: async () => (await navigator.storage.estimate()).usage ?? 0,
  async replay(dagUrl: string, batch: number): Promise<ReplayFigures> {
    const worker = new Worker(new URL('./ledgerReplay.worker.ts', import.meta.url), { type: 'module' });
    try {
      return await wrap<LedgerReplayApi>(worker).run(dagUrl, batch);
    } finally {
      worker.terminate();
    }
  },
};

export type SyncNodeApi = typeof api;
(window as unknown as { syncNode: SyncNodeApi }).syncNode = api;

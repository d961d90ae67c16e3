// A fresh browser tab joining a network, as `npm run bench:sync` and `npm run bench:node` measure it:
// the bench page (bench/pages/syncNode.html: the real node, both workers, the WebRTC bridge, no UI)
// served by Vite with the network's /network.json, in a fresh context of headless Chromium. Figures:
// time to all accepted (or how far it got), honest peers dropped, the ledger worker's heap peak (CDP),
// IndexedDB bytes per tx and the longest main-thread task; printJoin prints them with the wire bytes
// the serving side counted.
import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Connect } from 'vite';
import type { NetworkConfig } from '../../src/core/network.ts';
import { pageApi, type PageApi } from '../../test/browser/pageApi.ts';
import { newPeerContext } from '../../test/support/chromium.ts';
import { startViteHarness, type ViteHarness } from '../../test/support/viteHarness.ts';
import type { SyncNodeApi } from '../pages/syncNode.ts';

/** How long a bench page may take to load. */
const PAGE_LOAD_MS = 120_000;

/** The join stops early when the accepted count has not moved for this long. */
export const STALL_S = 45;

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const perS = (count: number, ms: number): number => (count / ms) * 1000;
export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
export const line = (label: string, text: string): void => console.log(`${label.padEnd(38)} ${text}`);

const serveJson =
  (body: () => string): Connect.NextHandleFunction =>
  (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body());
  };

/** Vite serving the bench pages, the network's /network.json and, if given, the DAG as /bench-dag.json. */
export function startBenchVite(
  network: NetworkConfig,
  dag?: { genesisId: string; txs: string[] },
): Promise<ViteHarness> {
  return startViteHarness({
    plugins: [
      {
        name: 'bench-network',
        configureServer(server) {
          server.middlewares.use(
            '/network.json',
            serveJson(() => JSON.stringify(network)),
          );
          if (dag)
            server.middlewares.use(
              '/bench-dag.json',
              serveJson(() => JSON.stringify(dag)),
            );
        },
      },
    ],
  });
}

/**
 * Opens the bench node page in a fresh context (its own storage) and returns its API; `prepare` sets the
 * context up before the page loads (a route of its own, say).
 */
export async function openBenchTab(
  browser: Browser,
  origin: string,
  prepare?: (context: BrowserContext) => Promise<unknown>,
): Promise<{ context: BrowserContext; page: Page; tab: PageApi<SyncNodeApi> }> {
  const context = await newPeerContext(browser, origin);
  await prepare?.(context);
  const page = await context.newPage();
  // Generous: on the shared 2-core machine a page with its two workers can take half a minute to load.
  await page.goto(`${origin}/bench/pages/syncNode.html`, { timeout: PAGE_LOAD_MS });
  await page.waitForFunction(() => 'syncNode' in window, undefined, { timeout: PAGE_LOAD_MS });
  return { context, page, tab: pageApi<SyncNodeApi>(page, 'syncNode') };
}

type CdpSend = (method: string, params?: object) => Promise<Record<string, unknown> | null>;

/**
 * A CDP session attached to the worker whose script URL contains `urlPart` (once it runs): `send` asks
 * it anything (the heap, the profiler); `send` answers null while the worker is not there yet.
 */
async function workerSession(browser: Browser, urlPart: string): Promise<CdpSend> {
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
      const target = targetInfos.find((t) => t.type === 'worker' && t.url.includes(urlPart));
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

export interface JoinFigures {
  readonly size: number;
  readonly accepted: number;
  readonly held: number;
  readonly known: number;
  readonly joinMs: number;
  /** When the first transaction past genesis was accepted (the node started, met the peer, reconciled). */
  readonly firstAcceptedMs: number | null;
  /** Why it stopped before all were accepted, if it did. */
  readonly stopped: 'stalled' | 'time limit' | null;
  /** Peers the tab dropped as misbehaving. */
  readonly misbehaving: number;
  readonly heapPeak: number;
  /** storage.estimate() of the whole origin. */
  readonly usage: number;
  readonly longestTask: number;
}

/**
 * A fresh tab starts its node and catches up with a network of `size` transactions (genesis included);
 * polls its progress every 500 ms until all are accepted, `timeoutS` passes, or STALL_S without progress.
 * The tab stays open (the caller closes `context`).
 */
export async function joinFreshTab(
  browser: Browser,
  origin: string,
  size: number,
  timeoutS: number,
  /**
   * Write CPU profiles of the join to `<this>.ledger.cpuprofile`, `.network.cpuprofile` and
   * `.main.cpuprofile` (the ledger worker, the network worker, the page's main thread; open in DevTools).
   */
  profilePrefix?: string,
): Promise<JoinFigures & { context: BrowserContext; page: Page; tab: PageApi<SyncNodeApi> }> {
  const { context, page, tab } = await openBenchTab(browser, origin);
  const worker = await workerSession(browser, 'ledger.worker');
  const heapOf = async () => ((await worker('Runtime.getHeapUsage'))?.usedSize as number | undefined) ?? null;
  const t0 = Date.now();
  await tab.start();
  await tab.resetLongestTask();
  // The network worker's and the page's sessions are opened only to profile: a plain join runs without them.
  const profiled: [string, CdpSend][] = [];
  if (profilePrefix) {
    const main = await context.newCDPSession(page);
    profiled.push(
      ['ledger', worker],
      ['network', await workerSession(browser, 'network.worker')],
      ['main', (method, params) => main.send(method as 'Profiler.start', params)],
    );
    for (const [, send] of profiled) {
      await send('Profiler.enable');
      await send('Profiler.setSamplingInterval', { interval: 500 });
      await send('Profiler.start');
    }
  }
  let heapPeak = 0;
  let progress = await tab.progress();
  let lastChange = Date.now();
  let lastAccepted = 0;
  let firstAcceptedMs: number | null = null;
  let stopped: JoinFigures['stopped'] = null;
  while (progress.accepted < size) {
    if (Date.now() - t0 > timeoutS * 1000) stopped = 'time limit';
    else if (Date.now() - lastChange > STALL_S * 1000) stopped = 'stalled';
    if (stopped) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
    progress = await tab.progress();
    heapPeak = Math.max(heapPeak, (await heapOf()) ?? 0);
    if (progress.accepted !== lastAccepted) [lastAccepted, lastChange] = [progress.accepted, Date.now()];
    if (firstAcceptedMs === null && progress.accepted > 1) firstAcceptedMs = Date.now() - t0;
  }
  const joinMs = Date.now() - t0;
  if (profilePrefix) {
    for (const [name, send] of profiled) {
      const file = `${profilePrefix}.${name}.cpuprofile`;
      writeFileSync(file, JSON.stringify((await send('Profiler.stop'))?.profile));
      console.log(`CPU profile of the ${name} thread during the join: ${file}`);
    }
  }
  return {
    size,
    accepted: progress.accepted,
    held: progress.held,
    known: progress.known,
    joinMs,
    firstAcceptedMs,
    stopped,
    misbehaving: progress.misbehaving,
    heapPeak,
    usage: await tab.usage(),
    longestTask: await tab.longestTask(),
    context,
    page,
    tab,
  };
}

export interface ServerSide {
  /** Bytes on the serving peer's wires, both ways. */
  readonly wireBytes: number;
  /** The DAG's tx.json bytes. */
  readonly dagBytes: number;
  /** Problems the serving peer dropped peers for. */
  readonly peerDrops: readonly string[];
  /** The raw limit measured in this run (tx/s), if any: the ratio is printed next to it. */
  readonly rawRate?: number;
}

export function printJoin(join: JoinFigures, server: ServerSide): void {
  if (join.stopped === null) {
    line('time to all accepted', `${(join.joinMs / 1000).toFixed(1)} s`);
  } else {
    console.log(
      `not all accepted after ${(join.joinMs / 1000).toFixed(0)} s: ${fmt(join.accepted)} of ${fmt(join.size)} accepted` +
        ` (${fmt(join.held)} held, ${fmt(join.known)} known; stopped ${join.stopped === 'stalled' ? `after ${STALL_S} s without progress` : 'at the time limit'})`,
    );
  }
  if (join.firstAcceptedMs !== null) {
    line(
      '  first accepted after',
      `${(join.firstAcceptedMs / 1000).toFixed(1)} s (start, tracker, WebRTC, reconciliation; 0.5 s polls)`,
    );
  }
  const joinRate = perS(join.accepted, join.joinMs);
  const raw = server.rawRate;
  line(
    'accepted per second',
    `${fmt(joinRate)} tx/s` +
      (raw ? `  (raw limit ${fmt(raw)} tx/s; ratio ${(joinRate / raw).toFixed(2)}, target ≥ 0.5)` : ''),
  );
  line(
    'honest peers dropped',
    `by the tab ${join.misbehaving}, by the serving peer ${server.peerDrops.length}${server.peerDrops.length ? ` (${server.peerDrops.join(', ')})` : ''}  (target 0)`,
  );
  line(
    'bytes on the wire / tx.json bytes',
    `${mb(server.wireBytes)} / ${mb(server.dagBytes)} = ${(server.wireBytes / server.dagBytes).toFixed(2)}×  (target ≤ 1.5×)`,
  );
  line(
    'ledger-worker heap peak',
    `${join.heapPeak ? mb(join.heapPeak) : 'n/a'}  (CDP Runtime.getHeapUsage; target ≤ 150 MB)`,
  );
  line(
    'IndexedDB per accepted tx',
    `${fmt(join.usage / Math.max(1, join.accepted))} bytes  (storage.estimate, whole origin; target ≤ 1,024)`,
  );
  line(
    'longest main-thread task',
    `${join.longestTask.toFixed(0)} ms  (longtask; 0 = none over 50 ms; target ≤ 50)`,
  );
}

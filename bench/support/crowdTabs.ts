// The Chromium tabs among the crowd of `npm run bench:crowd --tabs N` (bench/support/crowd.ts): each a
// fresh headless tab in a context (its own storage) of its own, on the bench page
// (bench/pages/syncNode.html: the real node, both workers, the WebRTC bridge) served by Vite, the browser
// launched with the loopback flags (test/support/chromium.ts). Each tab is given, as its /network.json, the
// network on a loopback tracker of its own that the node also announces to: as for the Node newcomers,
// the node is its only peer from a tracker (it may meet Node newcomers through the node's introductions,
// as a real tab would). The pages load before the clock starts; start() begins every tab's join at once.
import type { Browser, BrowserContext } from 'playwright-core';
import type { NetworkConfig } from '../../src/core/network.ts';
import type { PageApi } from '../../test/browser/pageApi.ts';
import type { SyncNodeApi } from '../pages/syncNode.ts';
import { openBenchTab } from './freshTab.ts';

/** How often a tab's progress is read while it joins. */
const POLL_MS = 1000;

export interface CrowdTabResult {
  /** ms from its start to every transaction accepted; undefined if not within the time-out. */
  readonly joinMs: number | undefined;
  /** ms from its start to the last progress read (the join, or the time-out). */
  readonly elapsedMs: number;
  readonly accepted: number;
  /** Peers the tab dropped as misbehaving (honest here: the node, Node newcomers). */
  readonly misbehaving: number;
  /** BUSYs it was told before it held everything (as read at the poll that saw it done), and in all. */
  readonly busyBeforeDone: number;
  readonly busyTotal: number;
  /** Gossip peers it had at the end. */
  readonly peers: number;
}

export interface CrowdTabs {
  readonly count: number;
  /**
   * Starts every tab's node at once; resolves once each has accepted `total` transactions or
   * `timeoutMs` passed. `onFinished` is called as each finishes.
   */
  join(total: number, timeoutMs: number, onFinished?: (joinMs: number) => void): Promise<CrowdTabResult[]>;
  close(): Promise<void>;
}

/** Opens a tab on `origin` for each of `networks`, each seeing its network at /network.json. */
export async function openCrowdTabs(
  browser: Browser,
  origin: string,
  networks: readonly NetworkConfig[],
): Promise<CrowdTabs> {
  const contexts: BrowserContext[] = [];
  const tabs: PageApi<SyncNodeApi>[] = [];
  const close = async () => void (await Promise.allSettled(contexts.map((c) => c.close())));
  try {
    // One after the other: the first load has Vite transform every module, the others reuse it.
    for (const network of networks) {
      const { context, tab } = await openBenchTab(browser, origin, (c) =>
        c.route('**/network.json', (route) => route.fulfill({ json: network })),
      );
      contexts.push(context);
      tabs.push(tab);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return {
    count: tabs.length,
    close,
    join: (total, timeoutMs, onFinished) =>
      Promise.all(
        tabs.map(async (tab) => {
          const t0 = performance.now();
          await tab.start();
          let progress = await tab.progress();
          let busyBeforeDone = progress.busy;
          let joinMs: number | undefined;
          while (performance.now() - t0 < timeoutMs) {
            if (progress.accepted >= total) {
              joinMs = performance.now() - t0;
              busyBeforeDone = progress.busy;
              onFinished?.(joinMs);
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
            progress = await tab.progress();
            busyBeforeDone = progress.busy;
          }
          return {
            joinMs,
            elapsedMs: performance.now() - t0,
            accepted: progress.accepted,
            misbehaving: progress.misbehaving,
            busyBeforeDone,
            busyTotal: progress.busy,
            peers: progress.peers,
          };
        }),
      ),
  };
}

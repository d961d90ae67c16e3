// A browser tab meets peers without the tracker (issue 18 item 3), end to end: the devnet server on
// loopback, a real Chromium tab whose network worker opens WebRTC through the page (src/net/rtcBridge),
// and Node nodes. The tab meets one Node node through the devnet's tracker; that node also knows three
// others, met on a tracker the tab never uses. Both trackers stop; the tab must reach the three through
// offers its one peer relays, opened by the tab's own tracker client code in the worker.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerLimits } from '../../src/net/introductions/relayedPeers.ts';
import { openNode, waitForPeers } from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';
import { startNodePeer, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

/** The Node nodes answer introductions but seek none: whatever the tab gains, it asked for. */
const ANSWER_ONLY: PeerLimits = { target: 0, cap: 12 };

let world: E2eDevnet;
let meshTracker: TestTracker;
const nodes: NodePeer[] = [];

beforeAll(async () => {
  [world, meshTracker] = await Promise.all([startE2eDevnet(), startTestTracker()]);
}, 120_000);

afterAll(async () => {
  for (const node of nodes) await node.close();
  await meshTracker?.close();
  await world?.close();
});

/** What the tab's network panel says: gossip peers, and connections its peers introduced. */
async function panel(page: Page): Promise<{ peers: number; introduced: number }> {
  return page.evaluate(() => ({
    peers: Number(document.querySelector('[data-testid=peer-count]')?.textContent ?? '0'),
    introduced: Number(document.querySelector('[data-testid=introductions]')?.getAttribute('data-connected')),
  }));
}

describe('a tab without the tracker', () => {
  it('reaches three peers through offers its one peer relays once every tracker is down', async () => {
    const devnet = world.devnet;
    const network = {
      params: devnet.devnet.params,
      genesis: { ...devnet.devnet.genesis, id: devnet.devnet.genesis.id },
      owner: devnet.devnet.owner,
    };
    const introducer = await startNodePeer(network, devnet.trackerUrls[0]!, {
      moreTrackerUrls: [meshTracker.wsUrl],
      introductions: ANSWER_ONLY,
    });
    nodes.push(introducer);
    const others = await Promise.all(
      [1, 2, 3].map(() => startNodePeer(network, meshTracker.wsUrl, { introductions: ANSWER_ONLY })),
    );
    nodes.push(...others);
    const asking = setInterval(() => nodes.forEach((node) => node.node.lookForPeers()), 5000);
    try {
      await waitFor(
        'the introducer to meet the three',
        [introducer],
        () => introducer.node.status().peers >= 3,
      );
      const tab = await world.userPage();
      await openNode(tab, devnet.appUrl);
      await waitForPeers(tab, 60_000);
      await waitFor(
        'the introducer to meet the tab',
        [introducer],
        () => introducer.node.status().peers >= 4,
      );
      expect(await panel(tab)).toEqual({ peers: 1, introduced: 0 });

      await Promise.all([devnet.tracker.close(), meshTracker.kill()]);
      const killed = performance.now();
      await tab.waitForFunction(
        () =>
          Number(document.querySelector('[data-testid=introductions]')?.getAttribute('data-connected')) >=
            3 && Number(document.querySelector('[data-testid=peer-count]')?.textContent) >= 4,
        null,
        { timeout: 60_000 },
      );
      const took = performance.now() - killed;
      const relayed = introducer.node.status().introductions!;
      console.log(
        `tab: trackers closed → 3 peers met through relayed signalling in ${(took / 1000).toFixed(1)} s; ` +
          `the introducer relayed ${relayed.forwarded} SIGNAL frames`,
      );
      // Each of the three has the tab as a peer now, besides the introducer and each other.
      await waitFor('the three to count the tab', others, () =>
        others.every((node) => node.node.status().introductions!.connected >= 1),
      );
      expect(relayed.forwarded).toBeGreaterThanOrEqual(6);
      for (const node of nodes) expect(node.misbehaviour).toEqual([]);
      expect(world.pageErrors).toEqual([]);
    } finally {
      clearInterval(asking);
    }
  }, 180_000);
});

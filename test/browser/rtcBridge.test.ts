// webtorrent in a Web Worker, its WebRTC bridged to the main thread (src/net/rtcBridge/shim.ts in the worker,
// src/net/rtcBridge/host.ts on the page). Real parts only: Chromium with isolated contexts as separate
// users, real WebRTC between them over loopback, a real bittorrent-tracker on port 0, the real
// webtorrent browser bundle. Every client's errors and warnings fail the test.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPeerContext } from '../support/chromium.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';
import { pageApi, type PageApi } from './pageApi.ts';
import type { RtcBridgePageApi, RtcBridgePageStats } from './pages/rtcBridge.ts';
import type { RtcShimLoopbackPageApi } from './pages/rtcShimLoopback.ts';
import type { StockWebTorrentPageApi } from './pages/stockWebTorrent.ts';

const TEST_TIMEOUT = 30_000;

let tracker: TestTracker;
let vite: ViteHarness;
let browser: Browser;
/** This test's contexts and what their pages threw; both are cleared after each test. */
let contexts: BrowserContext[] = [];
let pageErrors: string[] = [];

beforeAll(async () => {
  [tracker, vite, browser] = await Promise.all([startTestTracker(), startViteHarness(), launchChromium()]);
}, 60_000);

afterEach(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  contexts = [];
  pageErrors = [];
});

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  await tracker?.close();
});

async function openPage(path: string, globalName: string): Promise<Page> {
  const context = await newPeerContext(browser, vite.origin);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${path}: ${err.message}`));
  await page.goto(`${vite.origin}${path}`);
  await page.waitForFunction((name) => name in window, globalName);
  return page;
}

interface BridgePeer {
  readonly api: PageApi<RtcBridgePageApi>;
  readonly hostMode: string;
  readonly shimMode: string;
}

/** A user whose webtorrent runs in a worker behind the bridge; `relay` forces relay mode. */
async function openBridgePeer(relay: boolean): Promise<BridgePeer> {
  const page = await openPage(`/test/browser/pages/rtcBridge.html${relay ? '?relay' : ''}`, 'rtcBridgeTest');
  const api = pageApi<RtcBridgePageApi>(page, 'rtcBridgeTest');
  const { hostMode, shimMode } = await api.start();
  return { api, hostMode, shimMode };
}

/** A user running stock webtorrent on the main thread with the browser's own WebRTC. */
async function openStockPeer(): Promise<PageApi<StockWebTorrentPageApi>> {
  const page = await openPage('/test/browser/pages/stockWebTorrent.html', 'stockWebTorrentTest');
  return pageApi<StockWebTorrentPageApi>(page, 'stockWebTorrentTest');
}

interface Seeder {
  seed(name: string, base64: string, trackerUrl: string): Promise<string>;
}
interface Leecher {
  fetch(magnetURI: string, trackerUrl: string): Promise<{ base64: string; ms: number }>;
}

/** Seeds `bytes` at one peer, fetches them at the other, checks they are the same; the fetch's ms. */
async function shareFile(seeder: Seeder, leecher: Leecher, name: string, bytes: Uint8Array): Promise<number> {
  const magnetURI = await seeder.seed(name, Buffer.from(bytes).toString('base64'), tracker.wsUrl);
  const { base64, ms } = await leecher.fetch(magnetURI, tracker.wsUrl);
  expect(Buffer.from(base64, 'base64').equals(Buffer.from(bytes))).toBe(true);
  return ms;
}

/** Ends a peer the way the app would, then checks that nothing went wrong on the way. */
async function finish(
  ...peers: { problems(): Promise<string[]>; destroy(): Promise<void> }[]
): Promise<void> {
  const problems = (await Promise.all(peers.map((peer) => peer.problems()))).flat();
  await Promise.all(peers.map((peer) => peer.destroy()));
  expect(problems).toEqual([]);
  expect(pageErrors).toEqual([]);
}

function report(
  label: string,
  bytes: number,
  ms: number,
  a: RtcBridgePageStats,
  b: RtcBridgePageStats,
): void {
  const both = (pick: (stats: RtcBridgePageStats) => number) => `A ${pick(a)}, B ${pick(b)}`;
  console.log(
    [
      `${label}: B fetched ${bytes} B in ${ms.toFixed(0)} ms (cold)`,
      `signaling calls served by the main thread: ${both((s) => s.host.signalingCalls)}`,
      `connection events relayed: ${both((s) => s.host.eventsRelayed)}`,
      `channel messages through the main thread: ${both((s) => s.host.relayedMessages)}`,
      `channel messages in the worker: ${both((s) => s.worker.messages)}`,
      `bufferedamountlow in the worker: ${both((s) => s.worker.bufferedAmountLow)}`,
    ].join('; '),
  );
}

const HELLO = new TextEncoder().encode('Hello from a worker behind the WebRTC bridge.\n');

describe('webtorrent in a worker over the WebRTC bridge', () => {
  it(
    'transfer mode: B fetches the file A seeds, the channels moved into the workers',
    async () => {
      const [a, b] = await Promise.all([openBridgePeer(false), openBridgePeer(false)]);
      expect([a.hostMode, a.shimMode, b.hostMode, b.shimMode]).toEqual([
        'transfer',
        'transfer',
        'transfer',
        'transfer',
      ]);

      const ms = await shareFile(a.api, b.api, 'hello.txt', HELLO);

      const [statsA, statsB] = await Promise.all([a.api.stats(), b.api.stats()]);
      report('transfer mode', HELLO.length, ms, statsA, statsB);
      for (const stats of [statsA, statsB]) {
        expect(stats.host.channelsTransferred).toBeGreaterThan(0);
        expect(stats.host.channelsRelayed).toBe(0);
        expect(stats.host.relayedMessages).toBe(0);
        expect(stats.worker.transferred).toBe(stats.host.channelsTransferred);
        expect(stats.worker.native).toBe(stats.worker.transferred);
      }
      await finish(a.api, b.api);
      // Destroying webtorrent closed every real connection on the main threads, through the shim.
      expect([await a.api.leftoverConnections(), await b.api.leftoverConnections()]).toEqual([0, 0]);
    },
    TEST_TIMEOUT,
  );

  it(
    'relay mode: the same fetch with every channel relayed through the main thread',
    async () => {
      const [a, b] = await Promise.all([openBridgePeer(true), openBridgePeer(true)]);
      expect([a.hostMode, a.shimMode, b.hostMode, b.shimMode]).toEqual(['relay', 'relay', 'relay', 'relay']);

      const ms = await shareFile(a.api, b.api, 'hello.txt', HELLO);

      const [statsA, statsB] = await Promise.all([a.api.stats(), b.api.stats()]);
      report('relay mode', HELLO.length, ms, statsA, statsB);
      for (const stats of [statsA, statsB]) {
        expect(stats.host.channelsTransferred).toBe(0);
        expect(stats.host.relayedMessages).toBeGreaterThan(0);
        expect(stats.worker.native).toBe(0);
      }
      await finish(a.api, b.api);
    },
    TEST_TIMEOUT,
  );

  it(
    'transfer mode: channel messages are handled in the worker, none on the main thread',
    async () => {
      const [a, b] = await Promise.all([openBridgePeer(false), openBridgePeer(false)]);
      // 1 MiB: 64 pieces of 16 KiB, so thousands of channel messages, each a chance to show up on the page.
      const file = randomBytes(1 << 20);

      const ms = await shareFile(a.api, b.api, 'random.bin', file);

      const [statsA, statsB] = await Promise.all([a.api.stats(), b.api.stats()]);
      report('transfer mode, 1 MiB', file.length, ms, statsA, statsB);
      for (const stats of [statsA, statsB]) {
        expect(stats.worker.messages).toBeGreaterThan(64);
        expect(stats.mainThreadChannelMessages).toBe(0);
        expect(stats.host.relayedMessages).toBe(0);
      }
      await finish(a.api, b.api);
    },
    TEST_TIMEOUT,
  );

  it(
    'relay mode: the main-thread counter does see relayed messages, and 1 MiB arrives under backpressure',
    async () => {
      const [a, b] = await Promise.all([openBridgePeer(true), openBridgePeer(true)]);
      const file = randomBytes(1 << 20);

      const ms = await shareFile(a.api, b.api, 'random.bin', file);

      const [statsA, statsB] = await Promise.all([a.api.stats(), b.api.stats()]);
      report('relay mode, 1 MiB', file.length, ms, statsA, statsB);
      // The same counter that reads 0 in transfer mode: it would have seen messages had there been any.
      for (const stats of [statsA, statsB]) {
        expect(stats.mainThreadChannelMessages).toBeGreaterThan(64);
        expect(stats.worker.messages).toBeGreaterThan(64);
      }
      // The seeder outran its relayed channel and waited for bufferedamountlow before sending on.
      expect(statsA.worker.bufferedAmountLow).toBeGreaterThan(0);
      await finish(a.api, b.api);
    },
    TEST_TIMEOUT,
  );

  it(
    'a stock main-thread webtorrent and a bridged worker fetch from each other',
    async () => {
      const [bridged, stock] = await Promise.all([openBridgePeer(false), openStockPeer()]);

      const toStock = await shareFile(bridged.api, stock, 'to-stock.txt', randomBytes(64 << 10));
      const toBridged = await shareFile(stock, bridged.api, 'to-bridged.txt', randomBytes(64 << 10));

      console.log(
        `interop: bridged → stock ${toStock.toFixed(0)} ms, stock → bridged ${toBridged.toFixed(0)} ms`,
      );
      await finish(bridged.api, stock);
    },
    TEST_TIMEOUT,
  );
});

describe('the shim as an RTCPeerConnection in a worker', () => {
  for (const mode of ['transfer', 'relay'] as const) {
    it(
      `${mode} mode: trickled candidates, an in-band channel, ordered bytes under backpressure, close`,
      async () => {
        const page = await openPage(
          `/test/browser/pages/rtcShimLoopback.html${mode === 'relay' ? '?relay' : ''}`,
          'rtcShimLoopbackTest',
        );
        const api = pageApi<RtcShimLoopbackPageApi>(page, 'rtcShimLoopbackTest');
        expect(await api.start()).toBe(mode);

        // 1,000 × 1 KiB: far past the 64 KiB threshold, so the sender must wait for bufferedamountlow.
        const result = await api.loopback(1000, 1024);

        expect(result).toMatchObject({
          remoteLabel: 'loopback',
          received: 1000,
          inOrder: true,
          selectedPair: true,
          states: { signaling: 'stable', ice: 'connected', connection: 'connected' },
          remoteCloseSeen: true,
          openConnectionsAfterClose: 0,
        });
        expect(result.waits).toBeGreaterThan(0);
        expect(result.candidateTypes).toContain('host');
        expect(result.statsTypes).toEqual(
          expect.arrayContaining(['candidate-pair', 'local-candidate', 'remote-candidate', 'transport']),
        );
        // The close notices and this call travel on different ports, so the host may learn a moment later.
        await expect.poll(async () => (await api.host()).openConnections).toBe(0);
        const { stats } = await api.host();
        expect(mode === 'transfer' ? stats.relayedMessages : stats.channelsTransferred).toBe(0);
        await api.close();
        expect(pageErrors).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }
});

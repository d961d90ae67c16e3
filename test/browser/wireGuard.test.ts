// The wire length guard with webtorrent's browser bundle (the one the network worker loads): real
// Chromium, two isolated contexts, real WebRTC over loopback, a real tracker. The leecher fetches a
// 16 KiB file through its guarded wire (full-size piece messages pass), then turns rogue and announces a
// 2^31 − 1 byte message: the seeder's guard ends the wire at once.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WIRE_MESSAGE_BYTES } from '../../src/net/exchange/guardWireLength.ts';
import { launchChromium, newPeerContext } from '../support/chromium.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';
import { pageApi, type PageApi } from './pageApi.ts';
import type { WireGuardPageApi } from './pages/wireGuard.ts';

let tracker: TestTracker;
let vite: ViteHarness;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  [tracker, vite, browser] = await Promise.all([startTestTracker(), startViteHarness(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  await vite?.close();
  await tracker?.close();
});

async function openPeer(): Promise<PageApi<WireGuardPageApi>> {
  const context = await newPeerContext(browser, vite.origin);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${vite.origin}/test/browser/pages/wireGuard.html`);
  await page.waitForFunction(() => 'wireGuardTest' in window);
  return pageApi<WireGuardPageApi>(page, 'wireGuardTest');
}

describe("the wire length guard in webtorrent's browser bundle", () => {
  it('passes full-size pieces, and ends the wire at once on a 2^31 − 1 prefix', async () => {
    const [seeder, leecher] = await Promise.all([openPeer(), openPeer()]);
    const block = Buffer.alloc(16 * 1024, 7).toString('base64');
    const magnetURI = await seeder.seed(block, tracker.wsUrl);
    expect(await leecher.fetch(magnetURI, tracker.wsUrl)).toBe(16 * 1024);
    expect((await leecher.problems()).guard).toEqual([]);
    expect((await seeder.problems()).guard).toEqual([]);

    const { msToClose, sentBytes } = await leecher.attack();
    console.log(
      `browser bundle: the rogue's wire closed ${msToClose.toFixed(0)} ms after the prefix, ` +
        `after ${sentBytes / 2 ** 20} MiB of payload`,
    );
    expect((await seeder.problems()).guard).toEqual([
      `announced a wire message of ${2 ** 31 - 1} bytes (at most ${MAX_WIRE_MESSAGE_BYTES})`,
    ]);
    expect(msToClose).toBeLessThan(1000);
    expect(await seeder.openWires()).toBe(0);
    expect((await leecher.problems()).guard).toEqual([]);
    expect(pageErrors).toEqual([]);
    await Promise.all([seeder.destroy(), leecher.destroy()]);
  }, 60_000);
});

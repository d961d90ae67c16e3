// The miner pool (src/app/minerPool.ts) in real Chromium on real miner workers: it finds a nonce the
// core agrees reaches the target, refuses an already-aborted signal without starting a worker, stops
// on an abort mid-run, and leaves no abort listener on the signal whichever way it ends.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/hex.ts';
import { leadingZeroBits, powHash } from '../../src/core/work.ts';
import { launchChromium } from '../support/chromium.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';
import { pageApi, type PageApi } from './pageApi.ts';
import type { MinerPoolPageApi } from './pages/minerPool.ts';

const BASE = new Uint8Array(32).map((_, i) => i);
let vite: ViteHarness;
let browser: Browser;
let pool: PageApi<MinerPoolPageApi>;
const pageErrors: string[] = [];

beforeAll(async () => {
  [vite, browser] = await Promise.all([startViteHarness(), launchChromium()]);
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${vite.origin}/test/browser/pages/minerPool.html`);
  await page.waitForFunction(() => 'minerPoolTest' in window);
  pool = pageApi<MinerPoolPageApi>(page, 'minerPoolTest');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

describe('mineWithPool', () => {
  it('finds a nonce that reaches the target, and removes its abort listener', async () => {
    const run = await pool.mine(bytesToHex(BASE), 10, 'never');
    expect(run.error).toBeNull();
    expect(leadingZeroBits(powHash(BASE, run.nonce!))).toBeGreaterThanOrEqual(10);
    expect(run.workersMade).toBeGreaterThan(0);
    expect(run.listenersLeft).toBe(0);
  });

  it('rejects an already-aborted signal before making any worker', async () => {
    const run = await pool.mine(bytesToHex(BASE), 10, 'before');
    expect(run).toMatchObject({ nonce: null, error: 'MiningAbortedError', workersMade: 0, listenersLeft: 0 });
  });

  it('stops on an abort during mining, and removes its abort listener', async () => {
    // 60 bits is out of reach: only the abort can end this run.
    const run = await pool.mine(bytesToHex(BASE), 60, 'during');
    expect(run).toMatchObject({ nonce: null, error: 'MiningAbortedError', listenersLeft: 0 });
    expect(run.progressReports).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });
});

// The ledger's IndexedDB store in real Chromium: a version 1 database upgrades to version 2 and keeps
// the user's ledger (every record, balance, count, inventory and query answer as before), goes on
// deciding as the memory store does, survives a reload; a fresh database answers as the memory store;
// and a second connection that writes behind the first's back is refused rather than corrupting counts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';
import { pageApi, type PageApi } from './pageApi.ts';
import type { IdbLedgerPageApi } from './pages/idbLedger.ts';

let vite: ViteHarness;
let browser: Browser;
let page: Page;
let ledger: PageApi<IdbLedgerPageApi>;
const pageErrors: string[] = [];

beforeAll(async () => {
  [vite, browser] = await Promise.all([startViteHarness(), launchChromium()]);
  page = await (await browser.newContext()).newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${vite.origin}/test/browser/pages/idbLedger.html`);
  await page.waitForFunction(() => 'idbLedgerTest' in window);
  ledger = pageApi<IdbLedgerPageApi>(page, 'idbLedgerTest');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

describe('the ledger database', () => {
  it('upgrades version 1 and keeps the ledger', async () => {
    const r = await ledger.upgrade();
    expect(r.version).toBe(2);
    expect(r.stores).toEqual(['log', 'meta', 'txs']);
    expect(r.indexes).toEqual(['dueAt', 'links', 'waitingOn']);
    // The scenario has every status, so the comparison means something.
    expect(JSON.parse(r.memory1.counts)).toEqual({
      accepted: 4,
      conflict: 1,
      invalid: 4,
      orphan: 1,
      future: 1,
    });
    expect(r.upgraded).toEqual(r.memory1);
    expect(JSON.parse(r.memory2.counts)).toMatchObject({ orphan: 0, future: 0 });
    expect(r.continued).toEqual(r.memory2);
    expect(r.reopened).toEqual(r.memory2);
  });

  it('answers as the memory store does, before and after a reload', async () => {
    const r = await ledger.fresh();
    expect(r.idb).toEqual(r.memory);
    expect(r.reopened).toEqual(r.memory);
  });

  it('refuses a commit from a connection that did not see the last one', async () => {
    expect(await ledger.twoWriters()).toEqual({ first: 'ok', second: 'LedgerChangedElsewhereError' });
    expect(pageErrors).toEqual([]);
  });
});

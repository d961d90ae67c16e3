// The LedgerStore contract (test/support/ledgerStoreContract.ts) on IdbLedgerStore in real Chromium
// IndexedDB, the same checks the memory store passes in Node; and a commit that fails part-way leaves
// nothing of its batch behind.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { LEDGER_STORE_CONTRACT } from '../support/ledgerStoreContract.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';
import { pageApi, type PageApi } from './pageApi.ts';
import type { IdbLedgerStorePageApi } from './pages/idbLedgerStore.ts';

let vite: ViteHarness;
let browser: Browser;
let stores: PageApi<IdbLedgerStorePageApi>;
const pageErrors: string[] = [];

beforeAll(async () => {
  [vite, browser] = await Promise.all([startViteHarness(), launchChromium()]);
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${vite.origin}/test/browser/pages/idbLedgerStore.html`);
  await page.waitForFunction(() => 'idbLedgerStoreTest' in window);
  stores = pageApi<IdbLedgerStorePageApi>(page, 'idbLedgerStoreTest');
}, 60_000);

afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await browser?.close();
  await vite?.close();
});

describe('IdbLedgerStore keeps the LedgerStore contract', () => {
  for (const check of LEDGER_STORE_CONTRACT) {
    it(check.name, async () => expect(await stores.check(check.name)).toBeNull());
  }

  it('a commit that fails part-way writes none of its batch', async () => {
    expect(await stores.failedCommit()).toEqual({
      error: 'DataCloneError',
      firstRecord: false,
      balance: '0',
      nextArrival: 0,
    });
  });
});

// The ledger's IndexedDB store in real Chromium: a version 1, 2 and 3 database upgrade to version 4 and
// keep the user's ledger, and keep when payments settled across a reopen (every record, balance, count, inventory and query answer as
// before), go on deciding as the memory store does, survive a reload; a fresh database answers as the
// memory store, also after its log was merged on open; and a second connection that writes behind the
// first's back is refused rather than corrupting counts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';
import { pageApi, type PageApi } from './pageApi.ts';
import type { IdbLedgerPageApi } from './pages/idbLedger.ts';
import { LOG_ROWS_BEFORE_COMPACTING } from '../../src/storage/idbLedgerStore.ts';

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
  for (const from of [1, 2, 3] as const) {
    it(`upgrades version ${from} and keeps the ledger`, async () => {
      const r =
        from === 1
          ? await ledger.upgrade()
          : from === 2
            ? await ledger.upgradeFrom2()
            : await ledger.upgradeFrom3();
      expect(r.version).toBe(4);
      expect(r.stores).toEqual(['log', 'meta', 'settled', 'txs']);
      expect(r.settled).toEqual([12_345, null]);
      expect(r.indexes).toEqual(['dueAt', 'waitingOn']);
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
  }

  it('answers as the memory store does, before and after a reload', async () => {
    const r = await ledger.fresh();
    expect(r.idb).toEqual(r.memory);
    expect(r.reopened).toEqual(r.memory);
    expect(r.compacted).toEqual(r.memory);
    // 95 commits merged into fewer rows (a row that drops a record ends a run).
    expect(r.logRows).toBeLessThan(LOG_ROWS_BEFORE_COMPACTING);
  });

  it('refuses what was decided on a write that failed, and answers as stored again', async () => {
    const r = await ledger.pipelinedAfterOtherTab();
    expect(r.first).toBe('LedgerChangedElsewhereError');
    // Decided on the refused batch: refused by the same check, or by the failure once it was known.
    expect(['LedgerChangedElsewhereError', 'LedgerWriteFailedError']).toContain(r.second);
    expect(['LedgerChangedElsewhereError', 'LedgerWriteFailedError']).toContain(r.third);
    expect(r.stored).toEqual(r.memory);
    expect(r.here).toEqual(r.memory);
  });

  it('refuses a commit from a connection that did not see the last one', async () => {
    expect(await ledger.twoWriters()).toEqual({ first: 'ok', second: 'LedgerChangedElsewhereError' });
    expect(pageErrors).toEqual([]);
  });
});

// One status word per payment, surviving a reload, in real Chromium on the devnet: A takes faucet tokens
// and pays B; B's history shows the payment Arriving, then Safe once its settle window has passed and A
// holds it; Home's recent activity, Activity and the details say the same word. B reloads: the payment is
// Safe at the first render (before this change every reload showed it "pending · settles in 10 s" again,
// for 10.5–11.6 s). B then starts with the network cut off (the app from its service worker, no peers at
// all): Safe at once too.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTLE_WINDOW_MS } from '../../src/core/paymentState.ts';
import { STATUS_WORD } from '../../src/ui/paymentStatus.ts';
import { nodeStarted, openNode, pay, showView, takeFaucetTokens, waitForEntry } from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';
import { OfflineSwitch } from '../support/offlineSwitch.ts';

const MEMO = 'safe after a reload';

let world: E2eDevnet;
let b: Page;
let paymentId: string;

/** The state of the payment's entry in `testid`'s list at the first moment the page shows it. */
async function firstShownState(page: Page, testid: string, id: string): Promise<string> {
  const handle = await page.waitForFunction(
    ([list, wanted]) =>
      document.querySelector<HTMLElement>(`[data-testid=${list}][data-id="${wanted}"]`)?.dataset.state,
    [testid, id] as const,
    { timeout: 30_000, polling: 'raf' },
  );
  return (await handle.jsonValue()) as string;
}

/** The words the page shows for the payment: Activity's entry, Home's recent entry, and the details. */
async function wordsShown(page: Page, id: string): Promise<string[]> {
  const entry = (testid: string) => page.locator(`[data-testid=${testid}][data-id="${id}"]`);
  const listed = await Promise.all(
    ['history-entry', 'recent-entry'].map(async (testid) =>
      (await entry(testid).getByTestId('history-state').textContent())!.trim(),
    ),
  );
  await showView(page, 'Activity');
  await entry('history-entry')
    .getByRole('button', { name: /^Details/ })
    .click();
  const dialog = page.getByTestId('tx-detail');
  await dialog.getByTestId('detail-id').filter({ hasText: id }).waitFor({ timeout: 10_000 });
  const detail = (await dialog.getByTestId('detail-status').textContent())!.trim();
  await dialog.getByRole('button', { name: 'Close' }).click();
  return [...listed, detail];
}

beforeAll(async () => {
  world = await startE2eDevnet();
  const a = await world.userPage();
  b = await world.userPage();
  await openNode(a, world.devnet.appUrl);
  const bAddress = await openNode(b, world.devnet.appUrl);
  await takeFaucetTokens(a);
  expect(await pay(a, bAddress, 25, MEMO)).toContain('accepted');
  paymentId = await waitForEntry(b, MEMO, 'accepted');
}, 300_000);

afterAll(async () => {
  await world?.close();
});

describe('one status word per payment', () => {
  it('Arriving, then Safe; the same word on Home, in Activity and in the details', async () => {
    const entry = b.locator(`[data-testid=history-entry][data-id="${paymentId}"]`);
    const seen = Date.now();
    expect(await entry.getAttribute('data-state')).toBe('arriving');
    await b.waitForFunction(
      (id) =>
        document.querySelector<HTMLElement>(`[data-testid=history-entry][data-id="${id}"]`)?.dataset.state ===
        'safe',
      paymentId,
      { timeout: 60_000 },
    );
    console.log(
      `B: the payment turned Safe ${Date.now() - seen} ms after it was listed (noisy: shared machine)`,
    );
    expect(await wordsShown(b, paymentId)).toEqual([STATUS_WORD.safe, STATUS_WORD.safe, STATUS_WORD.safe]);
  }, 90_000);

  it('after a reload the payment is Safe at its first render', async () => {
    // The ledger worker stores when it settled; give that write a moment before the page goes away.
    await b.waitForTimeout(500);
    const started = Date.now();
    await b.reload();
    const state = await firstShownState(b, 'history-entry', paymentId);
    const took = Date.now() - started;
    console.log(`B reloaded: the payment first shown ${took} ms after the reload, as ${state}`);
    expect(state).toBe('safe');
    expect(took).toBeLessThan(SETTLE_WINDOW_MS);
    expect(await firstShownState(b, 'recent-entry', paymentId)).toBe('safe');
  }, 60_000);

  it('an offline start (no server, no peers) shows it Safe at once too', async () => {
    await b.evaluate(async () => void (await navigator.serviceWorker.ready));
    const offline = new OfflineSwitch(b.context());
    try {
      await offline.goOffline();
      await b.reload();
      expect(await b.evaluate(() => navigator.onLine)).toBe(false);
      await nodeStarted(b);
      expect(await firstShownState(b, 'history-entry', paymentId)).toBe('safe');
      expect(Number(await b.getByTestId('peer-count').textContent())).toBe(0);
    } finally {
      await offline.goOnline();
    }
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 60_000);
});

// The wallet page in Firefox, driven through puppeteer-core (WebDriver BiDi) by the same steps as
// Chromium's Playwright helpers in appPage.ts: the navigation's links, the Send form's fields and buttons
// (by their data-testid), and the
// in-page reads of pageQueries.ts, so both browsers are read by one rule.
import type { Page } from 'puppeteer-core';
import { entryInPage, storedLedgerInPage, ledgerDatabaseName } from './pageQueries.ts';
import type { WalletDriver } from './walletDriver.ts';

type View = 'home' | 'send' | 'receive' | 'activity' | 'accounts' | 'network';

/** Shows a view through its link in the navigation (a desktop window: every view has one). */
async function showView(page: Page, view: View): Promise<void> {
  await page.locator(`[data-testid=nav-${view}]`).click();
  await page.waitForSelector(`[data-view=${view}]`, { visible: true });
}

/** The first-run screen's quickest path, as appPage.ts's createWalletSkippingSetup: create, no passphrase, later. */
const FIRST_RUN_STEPS = [
  ['choose', 'Create a new wallet'],
  ['passphrase', 'Skip: no passphrase'],
  ['backup-offer', 'Later'],
] as const;

/** Waits for the wallet's address; a fresh profile's first-run screen is completed on the way. */
async function nodeStarted(page: Page, timeout = 20000): Promise<string> {
  await page.waitForSelector('[data-testid=address], [data-testid=first-run]', { timeout });
  if (await page.$('[data-testid=first-run]')) {
    for (const [step, button] of FIRST_RUN_STEPS) {
      await page.waitForSelector(`[data-testid=first-run][data-step=${step}]`, { timeout });
      await page.locator(`[data-testid=first-run] button::-p-text(${button})`).click();
    }
  }
  const address = await page.waitForSelector('[data-testid=address]', { timeout });
  return (await address!.evaluate((node) => node.textContent ?? '')).trim();
}

/** Throws the page's failure sentence if the Send form shows one. */
async function throwOnFailure(page: Page): Promise<void> {
  const failure = await page.$('[data-testid=send-failure]');
  if (failure) throw new Error(`payment failed: ${await failure.evaluate((node) => node.textContent)}`);
}

export function firefoxWallet(page: Page): WalletDriver {
  return {
    browserName: 'Firefox',
    userAgent: () => page.evaluate(() => navigator.userAgent),
    async open(url) {
      await page.goto(url);
      return nodeStarted(page);
    },
    async reload() {
      await page.reload();
      return nodeStarted(page);
    },
    async takeFaucetTokens() {
      await showView(page, 'home');
      await page.locator('[data-testid=faucet]').click();
      await page.waitForFunction(
        () =>
          (document.querySelector('[data-testid=balance-spendable]')?.getAttribute('data-tokens') ?? '0') !==
          '0',
        { timeout: 20000, polling: 100 },
      );
    },
    async pay(to, tokens, memo) {
      await showView(page, 'send');
      await page.locator('[data-testid=send-to]').fill(to);
      await page.locator('[data-testid=send-amount]').fill(String(tokens));
      await page.locator('[data-testid=send-memo]').fill(memo);
      await page.locator('[data-testid=send-review]').click();
      await page.waitForSelector('[data-testid=send-review-panel], [data-testid=send-failure]', {
        visible: true,
        timeout: 10000,
      });
      await throwOnFailure(page);
      await page.locator('[data-testid=send-submit]').click();
      const outcome = await page.waitForSelector('[data-testid=send-outcome], [data-testid=send-failure]', {
        visible: true,
        timeout: 60000,
      });
      await throwOnFailure(page);
      return (await outcome!.evaluate((node) => node.textContent ?? '')).trim();
    },
    async waitForEntry(memo, status, timeout = 20000) {
      const handle = await page.waitForFunction(entryInPage, { timeout, polling: 100 }, [
        memo,
        status,
      ] as const);
      return (await handle.jsonValue())!;
    },
    async spendable() {
      const tokens = await page.$eval('[data-testid=balance-spendable]', (node) =>
        node.getAttribute('data-tokens'),
      );
      return BigInt(tokens!);
    },
    async waitForPeers() {
      await page.waitForFunction(
        () => Number(document.querySelector('[data-testid=peer-count]')?.textContent ?? '0') > 0,
        { timeout: 20000, polling: 100 },
      );
    },
    peerCount: () => page.$eval('[data-testid=peer-count]', (node) => Number(node.textContent)),
    bridgeMode: () => page.$eval('[data-testid=bridge-mode]', (node) => node.getAttribute('data-mode')),
    readStoredLedger: (genesisId) => page.evaluate(storedLedgerInPage, ledgerDatabaseName(genesisId)),
  };
}

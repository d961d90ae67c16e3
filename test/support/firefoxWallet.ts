// The wallet page in Firefox, driven through puppeteer-core (WebDriver BiDi) by the same steps as
// Chromium's Playwright helpers in appPage.ts: the first-run screen's buttons (by their names), the
// navigation's links, the Send form's fields and buttons (by their data-testid), and the in-page reads of
// pageQueries.ts, so both browsers are read by one rule.
import type { Page } from 'puppeteer-core';
import { entryInPage, storedLedgerInPage, ledgerDatabaseName } from './pageQueries.ts';
import type { WalletDriver } from './walletDriver.ts';

type View = 'home' | 'send' | 'receive' | 'activity' | 'accounts' | 'network';

/** Shows a view through its link in the navigation (a desktop window: every view has one). */
async function showView(page: Page, view: View): Promise<void> {
  await page.locator(`[data-testid=nav-${view}]`).click();
  await page.waitForSelector(`[data-view=${view}]`, { visible: true });
}

/**
 * Clicks the button named `name` (its whole text) through a Locator: it waits until the button is enabled
 * and its box has stopped moving, then clicks where it is. A handle clicked at once missed its button on a
 * loaded CI machine (the restore field never came): the page was still laying out around it.
 */
async function clickButton(page: Page, name: string, timeout = 30000): Promise<void> {
  if (name.includes('"')) throw new Error(`a button name with a double quote: ${name}`);
  await page.locator(`::-p-xpath(//button[normalize-space(.)="${name}"])`).setTimeout(timeout).click();
}

/**
 * Waits until the node has started: its wallet's address is in the page. A fresh profile first shows the
 * first-run screen: completed the quickest way (create, no passphrase, back up later), as appPage.ts does.
 */
async function nodeStarted(page: Page, timeout = 20000): Promise<string> {
  const shown = await page.waitForSelector('[data-testid=address], [data-testid=first-run]', { timeout });
  if (await shown!.evaluate((node) => node.getAttribute('data-testid') === 'first-run')) {
    await clickButton(page, 'Create a new wallet');
    await clickButton(page, 'Skip: no passphrase');
    await clickButton(page, 'Later');
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
    async restore(url, words) {
      await page.goto(url);
      await page.waitForSelector('[data-testid=first-run]', { timeout: 20000 });
      await clickButton(page, 'Restore from recovery words');
      // Pasted, as a person does with 24 words: Locator.fill types them key by key, one WebDriver BiDi
      // round trip each, which took over its 30 s on a loaded CI machine.
      const field = await page.waitForSelector('[data-testid=restore-words]', {
        visible: true,
        timeout: 30000,
      });
      await field!.evaluate((node, text) => {
        const area = node as HTMLTextAreaElement;
        area.value = text;
        area.dispatchEvent(new Event('input', { bubbles: true }));
      }, words.join(' '));
      await clickButton(page, 'Continue');
      await clickButton(page, 'Restore the wallet');
      await page.waitForSelector('[data-testid=first-run]', { hidden: true, timeout: 30000 });
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

// One person's wallet page, driven the same way whichever browser shows it: what a payment test between
// browsers does through the page (open the node, take faucet tokens, pay through the Send form, watch a
// payment arrive, read the balance, the peers and the stored ledger). Chromium's driver is the Playwright
// helpers of appPage.ts; Firefox's (firefoxWallet.ts) does the same steps through puppeteer. Both read the
// page with the in-page functions of pageQueries.ts.
import type { Page } from 'playwright-core';
import {
  nodeStarted,
  openNode,
  restoreOnFirstRun,
  pay,
  readStoredLedger,
  spendable,
  takeFaucetTokens,
  waitForPeers,
} from './appPage.ts';
import { entryInPage, type ShownEntry, type StoredLedger } from './pageQueries.ts';

export interface WalletDriver {
  /** Which browser, for messages. */
  readonly browserName: string;
  userAgent(): Promise<string>;
  /** Opens the app at `url` and waits for the wallet; its address. */
  open(url: string): Promise<string>;
  /** Reloads the page and waits for the wallet; its address. */
  reload(): Promise<string>;
  /**
   * Opens the app at `url` in a fresh profile and restores the wallet of `words` through the first-run
   * screen; its address.
   */
  restore(url: string, words: readonly string[]): Promise<string>;
  takeFaucetTokens(): Promise<void>;
  /** Pays through the Send form (review, then sign and send); the confirmation the page shows. */
  pay(to: string, tokens: number, memo: string): Promise<string>;
  /** Waits for the history entry with `memo` and ledger status `status`; its id and its shown word. */
  waitForEntry(memo: string, status: string, timeout?: number): Promise<ShownEntry>;
  spendable(): Promise<bigint>;
  /** Waits until the node has at least one gossip peer. */
  waitForPeers(): Promise<void>;
  /** The Network view's peer count. */
  peerCount(): Promise<number>;
  /** How the WebRTC bridge reaches the network worker: 'transfer' or 'relay' (data-mode). */
  bridgeMode(): Promise<string | null>;
  readStoredLedger(genesisId: string): Promise<StoredLedger>;
}

export function chromiumWallet(page: Page): WalletDriver {
  return {
    browserName: 'Chromium',
    userAgent: () => page.evaluate(() => navigator.userAgent),
    open: (url) => openNode(page, url),
    async reload() {
      await page.reload();
      return nodeStarted(page);
    },
    async restore(url, words) {
      await page.goto(url);
      return restoreOnFirstRun(page, words);
    },
    takeFaucetTokens: () => takeFaucetTokens(page),
    pay: (to, tokens, memo) => pay(page, to, tokens, memo),
    async waitForEntry(memo, status, timeout = 20000) {
      const handle = await page.waitForFunction(entryInPage, [memo, status] as const, { timeout });
      return (await handle.jsonValue())!;
    },
    spendable: () => spendable(page),
    waitForPeers: () => waitForPeers(page),
    peerCount: async () => Number(await page.getByTestId('peer-count').textContent()),
    bridgeMode: () => page.getByTestId('bridge-mode').getAttribute('data-mode'),
    readStoredLedger: (genesisId) => readStoredLedger(page, genesisId),
  };
}

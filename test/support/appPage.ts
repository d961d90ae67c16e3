// Drives the node's page as a person would, through its navigation and labelled controls (data-testid
// for reading). Every view stays in the page while hidden, so reading needs no navigation; acting does.
import type { Locator, Page } from 'playwright-core';
import {
  entryInPage,
  ledgerDatabaseName,
  storedLedgerInPage,
  type ShownEntry,
  type StoredLedger,
} from './pageQueries.ts';

export type { StoredLedger } from './pageQueries.ts';

/** The views of the navigation, by the names a person reads (src/ui/NavBar.svelte). */
export type ViewName = 'Home' | 'Send' | 'Receive' | 'Activity' | 'Accounts' | 'Network';

/**
 * Shows a view the way a person gets there: its link in the navigation, or, on a phone, whose bar has no
 * Send and Receive, Home then the Send or Receive button there. Waits until the view is shown.
 */
export async function showView(page: Page, name: ViewName): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const link = nav.getByRole('link', { name, exact: true });
  if (await link.isVisible()) {
    await link.click();
  } else {
    await nav.getByRole('link', { name: 'Home', exact: true }).click();
    await page.locator('[data-view=home]').getByRole('link', { name, exact: true }).click();
  }
  await page.locator(`[data-view=${name.toLowerCase()}]`).waitFor();
}

/** The first-run screen (src/ui/FirstRun.svelte): a fresh profile shows it before any wallet. */
export function firstRunScreen(page: Page): Locator {
  return page.getByTestId('first-run');
}

/**
 * Completes the first-run screen the quickest way a person can: create a new wallet, skip the
 * passphrase, back up later. Home then reminds them of the backup.
 */
export async function createWalletSkippingSetup(page: Page): Promise<void> {
  const screen = firstRunScreen(page);
  await screen.getByRole('button', { name: 'Create a new wallet' }).click();
  await screen.getByRole('button', { name: 'Skip: no passphrase' }).click();
  await screen.getByRole('button', { name: 'Later' }).click();
  await screen.waitFor({ state: 'detached', timeout: 20000 });
}

/**
 * Restores the wallet of `words` through a fresh profile's first-run screen (no passphrase); the restored
 * wallet's address once its page shows.
 */
export async function restoreOnFirstRun(page: Page, words: readonly string[]): Promise<string> {
  const screen = firstRunScreen(page);
  await screen.getByRole('button', { name: 'Restore from recovery words' }).click({ timeout: 20000 });
  await screen.getByLabel('Recovery words (24, in order)').fill(words.join(' '));
  await screen.getByRole('button', { name: 'Continue' }).click();
  await screen.getByRole('button', { name: 'Restore the wallet' }).click();
  await screen.waitFor({ state: 'detached', timeout: 30000 });
  return nodeStarted(page);
}

/**
 * Waits until the node has started: its wallet (the address) is in the page, whichever view is shown.
 * A fresh profile first shows the first-run screen: it is completed by createWalletSkippingSetup.
 */
export async function nodeStarted(page: Page, timeout = 20000): Promise<string> {
  const address = page.getByTestId('address');
  await address.or(firstRunScreen(page)).first().waitFor({ state: 'attached', timeout });
  // Only a screen still at its first choice: one a test already walked past it (to "Later") is on its
  // way out, and would wait here for a "Create" button it no longer shows.
  const choosing = await page.evaluate(
    () => document.querySelector('[data-testid=first-run]')?.getAttribute('data-step') === 'choose',
  );
  if (choosing) await createWalletSkippingSetup(page);
  await address.waitFor({ state: 'attached', timeout });
  return (await address.textContent())!.trim();
}

export async function openNode(page: Page, url: string): Promise<string> {
  await page.goto(url);
  return nodeStarted(page);
}

/** The spendable balance; the page shows it formatted for the locale, and holds the raw value in data-tokens. */
export async function spendable(page: Page): Promise<bigint> {
  return BigInt((await page.getByTestId('balance-spendable').getAttribute('data-tokens'))!);
}

export async function waitForPeers(page: Page, timeout = 20000): Promise<void> {
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid=peer-count]')?.textContent ?? '0') > 0,
    null,
    { timeout },
  );
}

export async function takeFaucetTokens(page: Page): Promise<void> {
  await showView(page, 'Home');
  await page.getByRole('button', { name: 'Get devnet tokens' }).click();
  await page.waitForFunction(
    () =>
      (document.querySelector('[data-testid=balance-spendable]')?.getAttribute('data-tokens') ?? '0') !== '0',
    null,
    { timeout: 20000 },
  );
}

/** What the send form's three fields hold, as typed or filled in by a link or a scanned code. */
export async function sendForm(page: Page): Promise<{ to: string; tokens: string; memo: string }> {
  return {
    to: await page.getByTestId('send-to').inputValue(),
    tokens: await page.getByTestId('send-amount').inputValue(),
    memo: await page.getByTestId('send-memo').inputValue(),
  };
}

/**
 * Opens the review's "Fee options" (the cost choices and the protocol's figures wait behind it, the review
 * saying only the fee in words), as a person does before choosing to pay the fee or to mint.
 */
export async function openFeeOptions(page: Page): Promise<void> {
  const options = page.getByTestId('send-fee-options');
  if ((await options.getAttribute('open')) === null) await options.getByText('Fee options').click();
}

export async function pay(
  page: Page,
  to: string,
  tokens: number,
  memo: string,
  cost: 'no-fee' | 'fee' | { mintBits: number } = 'no-fee',
): Promise<string> {
  await showView(page, 'Send');
  await page.getByLabel('Recipient address').fill(to);
  await page.getByLabel('Amount').fill(String(tokens));
  await page.getByLabel(/^Memo/).fill(memo);
  await page.getByRole('button', { name: 'Review payment' }).click();
  const review = page.getByTestId('send-review-panel');
  const failure = page.getByTestId('send-failure');
  await review.or(failure).waitFor({ timeout: 10000 });
  if (await failure.isVisible()) throw new Error(`payment failed: ${await failure.textContent()}`);
  if (cost !== 'no-fee') await openFeeOptions(page);
  if (cost === 'fee') await page.getByTestId('send-pay-fee').check();
  if (typeof cost === 'object') {
    await page.getByTestId('send-mint').check();
    await page.getByLabel('Extra bits to mine').selectOption(String(cost.mintBits));
  }
  await page.getByRole('button', { name: 'Sign and send' }).click();
  const outcome = page.getByTestId('send-outcome');
  await outcome.or(failure).waitFor({ timeout: 60000 });
  if (await failure.isVisible()) throw new Error(`payment failed: ${await failure.textContent()}`);
  return (await outcome.textContent())!;
}

/** Waits for a history entry with `memo` and `status`; returns its transaction id. */
export async function waitForEntry(
  page: Page,
  memo: string,
  status: string,
  timeout = 20000,
): Promise<string> {
  const handle = await page.waitForFunction(entryInPage, [memo, status] as const, { timeout });
  return ((await handle.jsonValue()) as ShownEntry).id;
}

/**
 * Reads the stored ledger straight from IndexedDB in the page (any page of the app's origin; best when no
 * tab has the ledger open): every record's bytes and status, and the balances.
 */
export async function readStoredLedger(page: Page, genesisId: string): Promise<StoredLedger> {
  return page.evaluate(storedLedgerInPage, ledgerDatabaseName(genesisId));
}

// Drives the accounts view (src/ui/AccountsPanel.svelte) as a person would: the backup flow, the
// restore flow and the account switcher, through their labelled controls and buttons.
import type { Locator, Page } from 'playwright-core';
import { showView } from './appPage.ts';

/** The accounts section: other sections have buttons of the same names (Close, Cancel). */
export function accountsPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'Accounts & backup', exact: true });
}

/** Shows the Accounts view, unless it is shown. */
export async function openAccounts(page: Page): Promise<Locator> {
  if (!(await accountsPanel(page).isVisible())) await showView(page, 'Accounts');
  return accountsPanel(page);
}

/** The active account's address as the accounts panel shows it. */
export async function activeAddress(page: Page): Promise<string> {
  return (await page.getByTestId('account-address').textContent())!.trim();
}

/** Opens the backup, reads the 24 numbered words, then answers the check of three positions. */
export async function backUpWords(page: Page): Promise<string[]> {
  const panel = await openAccounts(page);
  await panel.getByRole('button', { name: 'Back up', exact: true }).click();
  return backUpShownFlow(panel);
}

/**
 * Goes through a backup flow (src/ui/BackupFlow.svelte) shown in `panel` (Accounts, the first-run screen
 * or Home's reminder) from its warning: reads the 24 numbered words, answers the check, closes.
 */
export async function backUpShownFlow(panel: Locator): Promise<string[]> {
  await panel.getByRole('button', { name: 'Show the 24 words' }).click();
  const list = panel.getByTestId('recovery-words');
  await list.waitFor();
  const numbered = await list.locator('li').allTextContents();
  const words = await panel.getByTestId('recovery-word').allTextContents();
  if (numbered.some((text, i) => text.replace(/\s+/gu, ' ').trim() !== `${i + 1}. ${words[i]}`)) {
    throw new Error(`the words are not numbered in order: ${numbered.join(' | ')}`);
  }
  await panel.getByRole('button', { name: 'I wrote them down' }).click();
  const asked = panel.getByTestId('backup-check-word');
  await asked.first().waitFor();
  for (const input of await asked.all()) {
    const position = Number(await input.getAttribute('data-position'));
    await panel.getByLabel(`Word ${position}`, { exact: true }).fill(words[position - 1]!);
  }
  await panel.getByRole('button', { name: 'Confirm backup' }).click();
  await panel.getByRole('heading', { name: 'Backup confirmed' }).waitFor();
  await panel.getByRole('button', { name: 'Close', exact: true }).click();
  return words;
}

/** Types words into the restore form and returns what the form says about them. */
export async function typeRecoveryWords(page: Page, text: string): Promise<string> {
  const panel = await openAccounts(page);
  if (!(await panel.getByTestId('restore-flow').isVisible())) {
    await panel.getByRole('button', { name: 'Restore from words' }).click();
  }
  await panel.getByLabel('Recovery words (24, in order)').fill(text);
  return (await panel.getByTestId('restore-check').textContent())!.trim();
}

/** Restores from words already typed, through the "replaces the wallet" confirm step. */
export async function confirmRestore(page: Page): Promise<void> {
  const panel = await openAccounts(page);
  await panel.getByRole('button', { name: 'Continue' }).click();
  await panel.getByTestId('restore-warning').waitFor();
  await panel.getByRole('button', { name: 'Replace the wallet' }).click();
  await panel.getByTestId('restore-flow').waitFor({ state: 'detached', timeout: 20000 });
}

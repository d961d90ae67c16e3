// Backup and restore end to end, as people use it: the devnet on loopback, real Chromium with isolated
// contexts as separate browsers, real IndexedDB, real WebRTC. A takes faucet tokens and backs up its 24
// words through the page; a fresh browser B restores from them and ends with A's address and A's
// spendable balance (its ledger comes from A over the network swarm). A mistyped word is named and
// restores nothing; a second account has another address, and switching back shows the first; once the
// ledger shows the second account in use, B finds it by looking again.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountsPanel,
  activeAddress,
  openAccounts,
  backUpWords,
  confirmRestore,
  typeRecoveryWords,
} from '../support/accountsPage.ts';
import {
  openNode,
  pay,
  spendable,
  takeFaucetTokens,
  waitForEntry,
  waitForPeers,
} from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';

let world: E2eDevnet;
let a: Page;
let b: Page;
let aAddress: string;
let bAddress: string;
let aWords: string[];

beforeAll(async () => {
  world = await startE2eDevnet();
  [a, b] = await Promise.all([world.userPage(), world.userPage()]);
  aAddress = await openNode(a, world.devnet.appUrl);
  bAddress = await openNode(b, world.devnet.appUrl);
}, 90_000);

afterAll(async () => {
  await world?.close();
});

describe('backup and restore across browsers', () => {
  it('A takes faucet tokens, reads its 24 words and confirms the backup', async () => {
    await takeFaucetTokens(a);
    expect(await activeAddress(a)).toBe(aAddress);
    expect(await a.getByTestId('backup-status').getAttribute('data-backed-up')).toBe('false');
    aWords = await backUpWords(a);
    expect(aWords).toHaveLength(24);
    expect(await a.getByTestId('backup-status').getAttribute('data-backed-up')).toBe('true');
    // The words are gone from the page once the person moved on.
    expect(await a.getByTestId('recovery-word').count()).toBe(0);
    expect(await a.content()).not.toContain(aWords.join(' '));
  }, 60_000);

  it('a mistyped word or a broken checksum in B is named, and restores nothing', async () => {
    expect(bAddress).not.toBe(aAddress);
    expect(await typeRecoveryWords(b, aWords.slice(0, 5).join(' '))).toBe('5 of 24 words');
    const typo = [...aWords];
    typo[6] = `${typo[6]}x`;
    expect(await typeRecoveryWords(b, typo.join(' '))).toContain(
      `Word 7 ("${typo[6]}") is not in the BIP39 word list`,
    );
    expect(await accountsPanel(b).getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
    const swapped = [...aWords];
    const other = swapped.findIndex((word) => word !== swapped[0]);
    [swapped[0], swapped[other]] = [swapped[other]!, swapped[0]!];
    const swappedCheck = await typeRecoveryWords(b, swapped.join(' '));
    // Two swapped words break the checksum, except by a 1-in-256 chance.
    if (!swappedCheck.startsWith('24 words')) {
      expect(swappedCheck).toBe('The checksum does not match: a word is wrong or out of order.');
      expect(await accountsPanel(b).getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
    }
    await accountsPanel(b).getByRole('button', { name: 'Cancel', exact: true }).click();
    expect(await activeAddress(b)).toBe(bAddress);
    expect(await b.getByTestId('address').textContent()).toBe(bAddress);
  }, 30_000);

  it('B restores from A’s words and ends with A’s address and spendable balance', async () => {
    await Promise.all([waitForPeers(a), waitForPeers(b)]);
    const started = Date.now();
    expect(await typeRecoveryWords(b, ` ${aWords.join('  ')}\n`)).toBe('24 words, checksum correct.');
    await confirmRestore(b);
    expect(await activeAddress(b)).toBe(aAddress);
    // Restored words are words the person holds: the backup counts as done.
    expect(await b.getByTestId('backup-status').getAttribute('data-backed-up')).toBe('true');
    const aSpendable = await spendable(a);
    expect(aSpendable).toBeGreaterThan(0n);
    await expect.poll(() => spendable(b), { timeout: 30_000, interval: 200 }).toBe(aSpendable);
    console.log(`B showed A's balance ${Date.now() - started} ms after the restore began`);
    // The restored account is the active one on the next start too.
    await b.reload();
    expect(await b.getByTestId('address').textContent({ timeout: 20000 })).toBe(aAddress);
    await b.getByTestId('account-address').waitFor();
    expect(await activeAddress(b)).toBe(aAddress);
    await expect.poll(() => spendable(b), { timeout: 30_000, interval: 200 }).toBe(aSpendable);
  }, 90_000);

  it('a second account has another address; switching back shows the first and its balance', async () => {
    const firstBalance = await spendable(a);
    await (await openAccounts(a)).getByRole('button', { name: 'Add account' }).click();
    await expect.poll(() => activeAddress(a)).not.toBe(aAddress);
    const second = await activeAddress(a);
    expect(second).toMatch(/^ttx1[02-9ac-hj-np-z]{58}$/u);
    await expect.poll(() => spendable(a)).toBe(0n);
    const select = accountsPanel(a).getByLabel('Active account');
    expect(await select.locator('option').count()).toBe(2);
    await select.selectOption({ index: 0 });
    await expect.poll(() => activeAddress(a)).toBe(aAddress);
    await expect.poll(() => spendable(a)).toBe(firstBalance);
    // A pays its second account, so the ledger shows that account in use. B restored the same words
    // before: looking again, it finds A's second account among its own.
    await pay(a, second, 5, 'to my second account');
    await waitForEntry(b, 'to my second account', 'accepted');
    const bPanel = await openAccounts(b);
    await bPanel.getByRole('button', { name: 'Find used accounts' }).click();
    await expect
      .poll(() => b.getByTestId('accounts-message').textContent())
      .toBe('Found 1 more account of your recovery words in use.');
    await bPanel.getByLabel('Active account').selectOption({ index: 1 });
    await expect.poll(() => activeAddress(b)).toBe(second);
    await expect.poll(() => spendable(b)).toBeGreaterThanOrEqual(5n);
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 90_000);
});

// The passphrase lock end to end, as a person uses it: the devnet on loopback, real Chromium, real
// IndexedDB, the real ledger worker deriving with PBKDF2-SHA256 at 600,000 iterations. A sets a
// passphrase (no secret stays in the clear in IndexedDB), reloads and finds the wallet locked with its
// balance still shown; the payment asks for the passphrase, a wrong one is refused in words and changes
// no byte, the right one signs and B receives; locking from the bar makes the backup ask again; and the
// recovery words restore the wallet with a new passphrase when the old one is forgotten; the passphrase
// is changed (a wrong current one refused) and removed through the page.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsPanel, openAccounts } from '../support/accountsPage.ts';
import {
  nodeStarted,
  openNode,
  showView,
  spendable,
  takeFaucetTokens,
  waitForEntry,
  waitForPeers,
} from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';

const PASSPHRASE = 'my long passphrase';
const NEW_PASSPHRASE = 'after the restore';
const CHANGED_PASSPHRASE = 'changed once more';
const WRONG_SENTENCE = 'That passphrase does not unlock this wallet.';

let world: E2eDevnet;
let a: Page;
let b: Page;
let aAddress: string;
let bAddress: string;
let words: string[];

beforeAll(async () => {
  world = await startE2eDevnet();
  [a, b] = await Promise.all([world.userPage(), world.userPage()]);
  aAddress = await openNode(a, world.devnet.appUrl);
  bAddress = await openNode(b, world.devnet.appUrl);
  await takeFaucetTokens(a);
}, 90_000);

afterAll(async () => {
  await world?.close();
});

/** Everything the wallet database holds, as JSON text, read with plain IndexedDB in the page. */
function storedWallet(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('torrenttx-wallet');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction(['accounts', 'wallet'], 'readonly');
    const all = (store: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const req = tx.objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const text = JSON.stringify({ accounts: await all('accounts'), wallet: await all('wallet') });
    db.close();
    return text;
  });
}

function lockBar(page: Page): Locator {
  return page.getByTestId('lock-bar');
}

/** Types a passphrase into the unlock prompt inside `scope` and presses Enter, as a person does. */
async function typeUnlock(scope: Locator, passphrase: string): Promise<void> {
  const field = scope.getByLabel('Passphrase', { exact: true });
  await field.fill(passphrase);
  await field.press('Enter');
}

describe('a wallet locked with a passphrase', () => {
  it('A sets a passphrase: nothing secret stays in IndexedDB, and after a reload the wallet is locked but shows its balance', async () => {
    const before = await storedWallet(a);
    const clearWords = (JSON.parse(before) as { wallet: { mnemonic: string }[] }).wallet[0]!.mnemonic;
    expect(clearWords.split(' ')).toHaveLength(24);
    const panel = await openAccounts(a);
    const section = panel.getByTestId('passphrase-section');
    await section.getByRole('button', { name: 'Set a passphrase' }).click();
    await section.getByLabel('New passphrase', { exact: true }).fill(PASSPHRASE);
    await section.getByLabel('Repeat the new passphrase').fill(PASSPHRASE);
    const started = Date.now();
    await section.getByRole('button', { name: 'Set passphrase' }).click();
    await section.getByTestId('passphrase-message').waitFor();
    console.log(`setting the passphrase took ${Date.now() - started} ms (two PBKDF2 derivations of 600,000)`);
    expect(await lockBar(a).getAttribute('data-locked')).toBe('false');

    const sealed = await storedWallet(a);
    expect(sealed).not.toContain(clearWords.split(' ').slice(0, 3).join(' '));
    expect(sealed).toContain('"iterations":600000');
    for (const account of (JSON.parse(before) as { accounts: { secretKey: string }[] }).accounts) {
      expect(sealed).not.toContain(account.secretKey);
    }

    const balance = await spendable(a);
    await a.reload();
    expect(await nodeStarted(a)).toBe(aAddress);
    await expect.poll(() => lockBar(a).getAttribute('data-locked')).toBe('true');
    await expect.poll(() => spendable(a)).toBe(balance);
    expect(balance).toBeGreaterThan(0n);
  }, 60_000);

  it('locked, a payment asks for the passphrase; a wrong one is refused in words and changes nothing; the right one signs', async () => {
    await Promise.all([waitForPeers(a), waitForPeers(b)]);
    await showView(a, 'Send');
    await a.getByLabel('Recipient address').fill(bAddress);
    await a.getByLabel('Amount').fill('25');
    await a.getByLabel(/^Memo/).fill('paid after unlocking');
    await a.getByRole('button', { name: 'Review payment' }).click();
    const review = a.getByTestId('send-review-panel');
    await review.waitFor();
    const prompt = review.getByTestId('unlock-prompt');
    await prompt.waitFor();
    expect(await review.getByRole('button', { name: 'Sign and send' }).isDisabled()).toBe(true);
    // The prompt takes the focus: the person can type at once.
    const field = prompt.getByLabel('Passphrase', { exact: true });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);

    const stored = await storedWallet(a);
    const balance = await spendable(a);
    await typeUnlock(prompt, 'not my passphrase');
    await expect.poll(() => prompt.getByTestId('unlock-problem').textContent()).toBe(WRONG_SENTENCE);
    expect(await prompt.getByTestId('unlock-problem').getAttribute('role')).toBe('alert');
    expect(await field.inputValue()).toBe('');
    expect(await storedWallet(a)).toBe(stored);
    expect(await spendable(a)).toBe(balance);
    expect(await lockBar(a).getAttribute('data-locked')).toBe('true');

    await typeUnlock(prompt, PASSPHRASE);
    await prompt.waitFor({ state: 'detached', timeout: 20_000 });
    expect(await lockBar(a).getAttribute('data-locked')).toBe('false');
    await review.getByRole('button', { name: 'Sign and send' }).click();
    await a.getByTestId('send-outcome').waitFor({ timeout: 60_000 });
    await waitForEntry(b, 'paid after unlocking', 'accepted');
    expect(await storedWallet(a)).toBe(stored);
  }, 90_000);

  it('locking from the bar drops the keys: the backup asks for the passphrase before it shows the words', async () => {
    await lockBar(a).getByRole('button', { name: 'Lock the wallet' }).click();
    await expect.poll(() => lockBar(a).getAttribute('data-locked')).toBe('true');
    const panel = await openAccounts(a);
    await panel.getByRole('button', { name: 'Back up', exact: true }).click();
    const flow = panel.getByTestId('backup-flow');
    const show = flow.getByRole('button', { name: 'Show the 24 words' });
    expect(await show.isDisabled()).toBe(true);
    await typeUnlock(flow.getByTestId('unlock-prompt'), PASSPHRASE);
    await expect.poll(() => show.isDisabled()).toBe(false);
    await show.click();
    await flow.getByTestId('recovery-words').waitFor();
    words = await flow.getByTestId('recovery-word').allTextContents();
    expect(words).toHaveLength(24);
    await flow.getByRole('button', { name: 'Hide the words' }).click();
  }, 60_000);

  it('a forgotten passphrase: the recovery words restore the wallet with a new passphrase', async () => {
    await lockBar(a).getByRole('button', { name: 'Lock the wallet' }).click();
    await expect.poll(() => lockBar(a).getAttribute('data-locked')).toBe('true');
    const panel = await openAccounts(a);
    await panel.getByRole('button', { name: 'Restore from words' }).click();
    await panel.getByLabel('Recovery words (24, in order)').fill(words.join(' '));
    await panel.getByRole('button', { name: 'Continue' }).click();
    await panel.getByTestId('restore-warning').waitFor();
    await panel.getByLabel('Passphrase to lock the restored wallet (optional)').fill(NEW_PASSPHRASE);
    await panel.getByLabel('Repeat the passphrase').fill(NEW_PASSPHRASE);
    await panel.getByRole('button', { name: 'Replace the wallet' }).click();
    await panel.getByTestId('restore-flow').waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => lockBar(a).getAttribute('data-locked')).toBe('false');
    expect((await a.getByTestId('account-address').textContent())!.trim()).toBe(aAddress);

    await a.reload();
    expect(await nodeStarted(a)).toBe(aAddress);
    await expect.poll(() => lockBar(a).getAttribute('data-locked')).toBe('true');
    await lockBar(a).getByRole('button', { name: 'Unlock' }).click();
    const prompt = a.getByTestId('lock-bar-unlock');
    const field = prompt.getByLabel('Passphrase', { exact: true });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await typeUnlock(prompt, PASSPHRASE);
    await expect.poll(() => prompt.getByTestId('unlock-problem').textContent()).toBe(WRONG_SENTENCE);
    await typeUnlock(prompt, NEW_PASSPHRASE);
    await expect.poll(() => lockBar(a).getAttribute('data-locked')).toBe('false');
    await expect.poll(() => accountsPanel(a).getByTestId('lock-state').isVisible()).toBe(true);
    await prompt.waitFor({ state: 'detached' });
  }, 60_000);

  it('the passphrase can be changed (the current one asked again) and removed', async () => {
    const section = (await openAccounts(a)).getByTestId('passphrase-section');
    await section.getByRole('button', { name: 'Change passphrase' }).click();
    await section.getByLabel('Current passphrase').fill(PASSPHRASE);
    await section.getByLabel('New passphrase', { exact: true }).fill(CHANGED_PASSPHRASE);
    await section.getByLabel('Repeat the new passphrase').fill(CHANGED_PASSPHRASE);
    await section.getByRole('button', { name: 'Change passphrase' }).click();
    await expect.poll(() => section.getByTestId('passphrase-problem').textContent()).toBe(WRONG_SENTENCE);
    await section.getByLabel('Current passphrase').fill(NEW_PASSPHRASE);
    await section.getByLabel('New passphrase', { exact: true }).fill(CHANGED_PASSPHRASE);
    await section.getByLabel('Repeat the new passphrase').fill(CHANGED_PASSPHRASE);
    await section.getByRole('button', { name: 'Change passphrase' }).click();
    await expect
      .poll(() => section.getByTestId('passphrase-message').textContent())
      .toBe('The passphrase is changed; the old one no longer unlocks the wallet.');

    await section.getByRole('button', { name: 'Remove passphrase' }).click();
    await section.getByLabel('Current passphrase').fill(CHANGED_PASSPHRASE);
    await section.getByRole('button', { name: 'Remove passphrase' }).click();
    await section.getByRole('button', { name: 'Set a passphrase' }).waitFor();
    await lockBar(a).waitFor({ state: 'detached' });
    const stored = JSON.parse(await storedWallet(a)) as { wallet: { mnemonic: string }[] };
    expect(stored.wallet[0]!.mnemonic).toBe(words.join(' '));
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 60_000);
});

// The wallet database in real IndexedDB (Chromium): a version 1 database with a random-key account
// upgrades to version 2 and keeps that account working as an imported one; the active account, added
// accounts and a restore persist across new connections, as across page loads.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { personNamed } from '../support/testNetwork.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';
import { pageApi, type PageApi } from './pageApi.ts';
import type { WalletUpgradePageApi } from './pages/walletUpgrade.ts';

// Accounts 0 and 1 of the all-zero-entropy words, and account 0 of the counting words
// (test/core/deriveAccountKey.test.ts).
const ZERO_0 = 'ttx1hqfv6r57ewtqwv0qvxyfycd8t5muyspv3n7e6l3lqkhethqg8gzsxhjhte';
const ZERO_1 = 'ttx12s6ne946g7d8d6kffzn7wffz53y9a9822zs39s59z6fummtu44aqjlcaxf';
const COUNTING_WORDS =
  'abandon amount liar amount expire adjust cage candy arch gather drum bullet absurd math era live bid ' +
  'rhythm alien crouch range attend journey unaware';
const COUNTING_0 = 'ttx13djxpsj30989yxhrevc8dnm5udzzkl0g36p6g24246mr4jyurecsxv948t';

let vite: ViteHarness;
let browser: Browser;
let page: Page;
let wallet: PageApi<WalletUpgradePageApi>;
const pageErrors: string[] = [];

beforeAll(async () => {
  [vite, browser] = await Promise.all([startViteHarness(), launchChromium()]);
  page = await (await browser.newContext()).newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${vite.origin}/test/browser/pages/walletUpgrade.html`);
  await page.waitForFunction(() => 'walletUpgradeTest' in window);
  wallet = pageApi<WalletUpgradePageApi>(page, 'walletUpgradeTest');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

describe('the wallet database', () => {
  it('upgrades version 1: the random key stays active as an imported account; words come when needed', async () => {
    const old = personNamed('version-1');
    await wallet.writeVersion1('upgrade', old);
    const first = await wallet.start('upgrade');
    expect(first).toMatchObject({ address: old.address, version: 2, stores: ['accounts', 'wallet'] });
    expect(first.list.accounts).toEqual([{ id: 1, label: 'Account 1', address: old.address, index: null }]);
    const added = await wallet.add();
    expect(added.accounts[1]).toMatchObject({ address: ZERO_0, index: 0 });
    expect((await wallet.reveal())[23]).toBe('art');
    // A new connection (a page load) opens the active account: the one just added.
    expect((await wallet.start('upgrade')).address).toBe(ZERO_0);
    await wallet.switchTo(1);
    const again = await wallet.start('upgrade');
    expect(again.address).toBe(old.address);
    expect(again.list.accounts.map((a) => a.address)).toEqual([old.address, ZERO_0]);
    expect((await wallet.add()).accounts[2]).toMatchObject({ address: ZERO_1, index: 1 });
  });

  it('makes a new wallet with words, and a restore replaces it for good', async () => {
    expect((await wallet.start('fresh')).address).toBe(ZERO_0);
    await wallet.add();
    expect((await wallet.restore(COUNTING_WORDS)).accounts.map((a) => a.address)).toEqual([COUNTING_0]);
    const reopened = await wallet.start('fresh');
    expect(reopened.address).toBe(COUNTING_0);
    expect(reopened.list).toMatchObject({ backedUp: true, accounts: [{ address: COUNTING_0, index: 0 }] });
    expect(await wallet.reveal()).toEqual(COUNTING_WORDS.split(' '));
  });

  it('opens a version 2 wallet written before passphrases, seals it, and opens it again only with the passphrase', async () => {
    const words = `${'abandon '.repeat(23)}art`;
    // The account row as the code before passphrases wrote it: account 0 of the words, key in the clear.
    expect((await wallet.start('fresh-words')).address).toBe(ZERO_0);
    const zero = { ...(await keyOf('fresh-words')), address: ZERO_0, index: 0 };
    await wallet.writeVersion2('before-passphrases', zero, words);
    const opened = await wallet.start('before-passphrases');
    expect(opened).toMatchObject({ address: ZERO_0, version: 2 });
    expect(opened.list.backedUp).toBe(true);
    expect(await wallet.lockStatus()).toEqual({ hasPassphrase: false, locked: false, autoLockMinutes: 15 });
    expect(await wallet.reveal()).toEqual(words.split(' '));

    const started = Date.now();
    expect(await wallet.setPassphrase('a passphrase of mine')).toMatchObject({
      hasPassphrase: true,
      locked: false,
    });
    console.log(
      `sealing (derive, encrypt, derive again to check) took ${Date.now() - started} ms in Chromium`,
    );
    const sealed = await wallet.storedText('before-passphrases');
    expect(sealed).not.toContain('abandon');
    expect(sealed).toContain('"iterations":600000');

    // A new connection (a page load) is locked; a wrong passphrase leaves every byte as it was.
    expect((await wallet.start('before-passphrases')).address).toBe(ZERO_0);
    expect((await wallet.lockStatus()).locked).toBe(true);
    await expect(wallet.reveal()).rejects.toThrow('the wallet is locked');
    await expect(wallet.unlock('a passphrase of yours')).rejects.toThrow(
      'That passphrase does not unlock this wallet.',
    );
    expect(await wallet.storedText('before-passphrases')).toBe(sealed);
    expect((await wallet.unlock('a passphrase of mine')).locked).toBe(false);
    expect(await wallet.reveal()).toEqual(words.split(' '));
  });

  it('a seal prepared before another tab added an account writes nothing', async () => {
    await wallet.start('stale-seal');
    const before = await wallet.storedText('stale-seal');
    expect(await wallet.sealStale('stale-seal')).toBe('WalletChangedError');
    const after = JSON.parse(await wallet.storedText('stale-seal')) as {
      accounts: { label: string }[];
      wallet: { mnemonic: string | null }[];
    };
    // Only the other tab's account is new: the record keeps its words, the rows their keys.
    expect(after.wallet).toEqual((JSON.parse(before) as typeof after).wallet);
    expect(after.wallet[0]!.mnemonic).not.toBeNull();
    expect(after.accounts.map((a) => a.label)).toEqual(['Account 1', 'From another tab']);
    expect(pageErrors).toEqual([]);
  });
});

/** The key pair of the first account stored in database `name`, read as stored. */
async function keyOf(name: string): Promise<{ secretKey: string; publicKey: string }> {
  const { accounts } = JSON.parse(await wallet.storedText(name)) as {
    accounts: { secretKey: string; publicKey: string }[];
  };
  return { secretKey: accounts[0]!.secretKey, publicKey: accounts[0]!.publicKey };
}

// Firefox and Chromium on one devnet, as two people with different browsers: the devnet server (tracker,
// faucet, app) on loopback, Debian's firefox-esr through puppeteer-core (WebDriver BiDi) for one person and
// Chromium through playwright-core for the other, real WebRTC between their network workers, real
// IndexedDB. Each takes faucet tokens through the page and pays the other through the Send form; each sees
// the other's payment arrive with its status word, and both stored ledgers hold the same balances. Then, in
// Firefox: a fresh profile restores the Chromium person's wallet from its recovery words (Chromium's
// restore is backupRestore.test.ts and firstRun.test.ts), a reload keeps the wallet and its history, and
// with the devnet server stopped the app still starts from its service worker and shows the stored wallet
// and the offline notice (Chromium's: networksOffline.test.ts).
import type { Page as ChromiumPage } from 'playwright-core';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_WORD } from '../../src/ui/paymentStatus.ts';
import { backUpWords } from '../support/accountsPage.ts';
import { firefoxPerson, type FirefoxPerson } from '../support/firefox.ts';
import { firefoxWallet } from '../support/firefoxWallet.ts';
import type { ShownEntry } from '../support/pageQueries.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';
import { chromiumWallet, type WalletDriver } from '../support/walletDriver.ts';

// Each payment's receiver gets its tokens plus any mint (work its hash has by chance, PROTOCOL §6), so
// a receiver's balance is checked against what its ledger stored; a sender's drops by the tokens exactly.
const FIREFOX_PAYS = { tokens: 120, memo: 'from Firefox, for the bread' };
const CHROMIUM_PAYS = { tokens: 45, memo: 'from Chromium, for the milk' };
/** The words an accepted payment shows: arriving during its settle window, safe after. */
const ACCEPTED_WORDS = [STATUS_WORD.arriving, STATUS_WORD.safe];

let world: E2eDevnet;
let firefox: FirefoxPerson;
let ff: WalletDriver;
let ch: WalletDriver;
let chPage: ChromiumPage;
let ffAddress: string;
let chAddress: string;
const started = Date.now();
/** When the devnet, the app build and both browsers were ready: most of the file's time is theirs. */
let ready = started;

beforeAll(async () => {
  [world, firefox] = await Promise.all([startE2eDevnet(), firefoxPerson()]);
  ff = firefoxWallet(firefox.page);
  chPage = await world.userPage();
  ch = chromiumWallet(chPage);
  [ffAddress, chAddress] = await Promise.all([ff.open(world.devnet.appUrl), ch.open(world.devnet.appUrl)]);
  ready = Date.now();
}, 90_000);

afterAll(async () => {
  await firefox?.close();
  await world?.close();
  const seconds = (from: number) => ((Date.now() - from) / 1000).toFixed(1);
  console.log(`firefoxAndChromium: ${seconds(started)} s in all, ${seconds(ready)} s after setup`);
});

/**
 * `trackerDown`: the devnet is stopped, and Firefox reports each refused tracker connection as an error of
 * the page (Chromium does not); those, and only those, are expected then.
 */
function expectNoPageErrors(trackerDown = false): void {
  const refused = (error: string) =>
    trackerDown &&
    world.devnet.network.trackers.some((tracker) =>
      error.startsWith(`Firefox can’t establish a connection to the server at ${tracker}`),
    );
  const errors = [...firefox.pageErrors.filter((error) => !refused(error)), ...world.pageErrors];
  expect(errors, errors.join('\n')).toEqual([]);
}

/**
 * The sender's and the receiver's pages show one payment of `tokens`: "−120" and "+120" (a mint the work
 * earned the receiver is a line of its own; the shown amount is the tokens sent).
 */
function expectSamePayment(sent: ShownEntry, received: ShownEntry, tokens: number): void {
  const digits = (amount: string) => amount.replace(/[^0-9]/g, '');
  expect([sent.amount[0], digits(sent.amount)]).toEqual(['−', String(tokens)]);
  expect([received.amount[0], digits(received.amount)]).toEqual(['+', String(tokens)]);
}

/** Waits until `wallet` shows `tokens` spendable (a payment's tokens count once its entry is in). */
async function expectSpendable(wallet: WalletDriver, tokens: bigint): Promise<void> {
  await expect.poll(() => wallet.spendable(), { timeout: 20_000 }).toBe(tokens);
}

/**
 * `sender` pays `receiver` through the Send form; both pages show the payment accepted, under one id, with
 * an accepted status word; the sender's balance drops by the tokens exactly, the receiver's grows by at
 * least them. The sender's entry.
 */
async function payAndSeeArrive(
  sender: WalletDriver,
  receiver: WalletDriver,
  to: string,
  payment: { tokens: number; memo: string },
): Promise<ShownEntry> {
  const [senderBefore, receiverBefore] = [await sender.spendable(), await receiver.spendable()];
  const outcome = await sender.pay(to, payment.tokens, payment.memo);
  expect(outcome, sender.browserName).toContain('The network accepted it.');
  const sent = await sender.waitForEntry(payment.memo, 'accepted');
  const received = await receiver.waitForEntry(payment.memo, 'accepted');
  expect(received.id).toBe(sent.id);
  expect(ACCEPTED_WORDS).toContain(sent.word);
  expect(ACCEPTED_WORDS).toContain(received.word);
  expectSamePayment(sent, received, payment.tokens);
  await expectSpendable(sender, senderBefore - BigInt(payment.tokens));
  await expect
    .poll(() => receiver.spendable(), { timeout: 20_000 })
    .toBeGreaterThanOrEqual(receiverBefore + BigInt(payment.tokens));
  return sent;
}

describe('a Firefox person and a Chromium person pay each other', () => {
  let ffSeen: ShownEntry;

  it('really runs in Firefox and in Chromium, and each gets a wallet and faucet tokens', async () => {
    expect(await ff.userAgent()).toContain('Firefox/');
    expect(await ch.userAgent()).toContain('Chrome/');
    expect(await ch.userAgent()).not.toContain('Firefox');
    expect(ffAddress).toMatch(/^ttx1/);
    expect(chAddress).toMatch(/^ttx1/);
    expect(ffAddress).not.toBe(chAddress);
    await Promise.all([ff.takeFaucetTokens(), ch.takeFaucetTokens()]);
    expect(await ff.spendable()).toBeGreaterThan(BigInt(FIREFOX_PAYS.tokens));
    expect(await ch.spendable()).toBeGreaterThan(BigInt(CHROMIUM_PAYS.tokens));
    expectNoPageErrors();
  }, 60_000);

  it("Firefox's node gossips: at least one peer, its data channels handed to the network worker", async () => {
    await Promise.all([ff.waitForPeers(), ch.waitForPeers()]);
    expect(await ff.peerCount()).toBeGreaterThanOrEqual(1);
    // Transfer mode: the RTCDataChannels were transferred to the worker (Firefox 144+ allows it); relay
    // would mean the page carries every message.
    expect(await ff.bridgeMode()).toBe('transfer');
    expect(await ch.bridgeMode()).toBe('transfer');
  }, 30_000);

  it('Firefox pays Chromium, and Chromium sees it arrive', async () => {
    ffSeen = await payAndSeeArrive(ff, ch, chAddress, FIREFOX_PAYS);
    expectNoPageErrors();
  }, 60_000);

  it('Chromium pays Firefox back, Firefox sees it arrive, and both ledgers agree on both balances', async () => {
    await payAndSeeArrive(ch, ff, ffAddress, CHROMIUM_PAYS);
    // What each browser stored gives both people the balances their own pages show (mints included).
    const shown = { firefox: String(await ff.spendable()), chromium: String(await ch.spendable()) };
    const stored = async (wallet: WalletDriver) => {
      const { balances } = await wallet.readStoredLedger(world.devnet.network.genesisId);
      return { firefox: balances[ffAddress], chromium: balances[chAddress] };
    };
    await expect.poll(() => stored(ff), { timeout: 20_000 }).toEqual(shown);
    await expect.poll(() => stored(ch), { timeout: 20_000 }).toEqual(shown);
    expectNoPageErrors();
  }, 60_000);

  it("a fresh Firefox profile restores the Chromium person's wallet from its recovery words", async () => {
    const words = await backUpWords(chPage);
    const fresh = await firefoxPerson();
    try {
      const restored = firefoxWallet(fresh.page);
      expect(await restored.restore(world.devnet.appUrl, words)).toBe(chAddress);
      // Its balance and history come from the network: the Chromium person's node, over WebRTC.
      const balance = await ch.spendable();
      await expect.poll(() => restored.spendable(), { timeout: 30_000 }).toBe(balance);
      const sent = await restored.waitForEntry(CHROMIUM_PAYS.memo, 'accepted', 30_000);
      expect(sent.amount[0]).toBe('−');
      expect(ACCEPTED_WORDS).toContain(sent.word);
      expect(fresh.pageErrors, fresh.pageErrors.join('\n')).toEqual([]);
    } finally {
      await fresh.close();
    }
    expectNoPageErrors();
  }, 90_000);

  it('in Firefox, a reload keeps the wallet, its balance and its history', async () => {
    const balance = await ff.spendable();
    expect(await ff.reload()).toBe(ffAddress);
    expect((await ff.waitForEntry(FIREFOX_PAYS.memo, 'accepted')).id).toBe(ffSeen.id);
    expect(ACCEPTED_WORDS).toContain((await ff.waitForEntry(CHROMIUM_PAYS.memo, 'accepted')).word);
    await expectSpendable(ff, balance);
    expectNoPageErrors();
  }, 60_000);

  it('in Firefox, with the devnet server stopped, the app starts from its service worker with the stored wallet', async () => {
    const page: Page = firefox.page;
    const balance = await ff.spendable();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(
      new URL('sw.js', world.devnet.appUrl).href,
    );
    await world.devnet.close();
    // The server is gone: nothing but the service worker can answer the reload.
    expect(
      await page.evaluate(() =>
        fetch('/network.json').then(
          () => 'reached',
          () => 'unreachable',
        ),
      ),
    ).toBe('unreachable');
    expect(await ff.reload()).toBe(ffAddress);
    await expectSpendable(ff, balance);
    expect((await ff.waitForEntry(FIREFOX_PAYS.memo, 'accepted')).id).toBe(ffSeen.id);
    await ff.waitForEntry(CHROMIUM_PAYS.memo, 'accepted');
    const notice = await page.waitForSelector('[data-testid=offline-notice]', { timeout: 20_000 });
    expect(await notice!.evaluate((node) => node.getAttribute('data-state'))).toBe('offline');
    expectNoPageErrors(true);
  }, 60_000);
});

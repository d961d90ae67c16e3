// The page's notices and status words as a person meets them (issue 17 items 5 and 9), in real Chromium on
// the real devnet: A on a desktop window with a passphrase (so the lock bar shows), B on a phone (whose
// header carries the network's name and state).
// - The "saved on this device" notice never reads as "you are offline"; the notices are one area above
//   the views, the one banner that matters most and then the lock bar, never a stack; a payment request's
//   notice holds back the others, and goes on every view once the request is paid, letting the held-back
//   one come back.
// - The send confirmation says, in words, how much went to whom and the payment's one status word.
// - The Network view leads with connected people, the network's payments and whether this device has them.
// - With the devnet down, the header and the navigation say the server is not answering beside the peer
//   count, and a wallet started from the service worker does not probe the dead server every few seconds
//   (each refused probe is an error line in the console).
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_WORD } from '../../src/ui/paymentStatus.ts';
import {
  firstRunScreen,
  nodeStarted,
  openNode,
  sendForm,
  showView,
  takeFaucetTokens,
  waitForPeers,
  type ViewName,
} from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';

const PASSPHRASE = 'correct horse battery';
const MEMO = 'for the tickets';
const VIEWS: ViewName[] = ['Home', 'Send', 'Receive', 'Activity', 'Accounts', 'Network'];
/** What the offline-ready notice says (src/ui/App.svelte). */
const SAVED_TEXT = 'TorrentTX is saved on this device: it opens even without a connection.';

let world: E2eDevnet;
let a: Page;
let b: Page;
let bAddress: string;

beforeAll(async () => {
  world = await startE2eDevnet();
  [a, b] = await Promise.all([
    world.userPage({ width: 1280, height: 900 }),
    world.userPage({ width: 390, height: 844 }),
  ]);
  bAddress = await openNode(b, world.devnet.appUrl);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** The data-testid of each notice in the notice area, top to bottom. */
function noticeArea(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid=notices] > [data-testid]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')!));
}

describe('notices and status words', () => {
  it('A sets a passphrase: the offline-ready notice says the app is saved, above the lock bar, in one area', async () => {
    await a.goto(world.devnet.appUrl);
    const screen = firstRunScreen(a);
    await screen.getByRole('button', { name: 'Create a new wallet' }).click();
    await screen.getByLabel('New passphrase', { exact: true }).fill(PASSPHRASE);
    await screen.getByLabel('Repeat the new passphrase').fill(PASSPHRASE);
    await screen.getByRole('button', { name: 'Set passphrase' }).click();
    await screen.getByRole('button', { name: 'Later' }).click({ timeout: 30_000 });
    await screen.waitFor({ state: 'detached', timeout: 20_000 });
    await nodeStarted(a);
    await a.locator('[data-testid=lock-bar][data-locked=false]').waitFor({ timeout: 20_000 });
    const saved = a.getByTestId('update-notice');
    await saved.waitFor({ timeout: 30_000 });
    const text = (await saved.locator('span').first().textContent())!.trim();
    expect(text).toBe(SAVED_TEXT);
    // Nothing in it reads as "you are offline".
    expect(text).not.toMatch(/offline/i);
    await expect.poll(() => noticeArea(a)).toEqual(['update-notice', 'lock-bar']);
    // Nothing besides the area: the offline bar and the others are its banners, not notices of their own.
    expect(await a.locator('[data-testid=offline-notice], [data-testid=sync-progress]').count()).toBe(0);
  }, 90_000);

  it("B's payment request holds the other banner back; once paid, its notice is gone on every view", async () => {
    await takeFaucetTokens(a);
    await Promise.all([waitForPeers(a), waitForPeers(b)]);
    await a.goto(
      `${world.devnet.appUrl.replace(/\/?$/, '/')}#pay?to=${bAddress}&tokens=3&memo=${encodeURIComponent(MEMO)}`,
    );
    await expect.poll(() => sendForm(a)).toEqual({ to: bAddress, tokens: '3', memo: MEMO });
    // One banner at a time: the request's, and the lock bar below it.
    await expect.poll(() => noticeArea(a)).toEqual(['payment-link-applied', 'lock-bar']);
    await a.getByRole('button', { name: 'Review payment' }).click();
    await a.getByRole('button', { name: 'Sign and send' }).click();
    const outcome = a.getByTestId('send-outcome');
    await outcome.waitFor({ timeout: 60_000 });

    // The confirmation in words: tokens, recipient (as the person recognises it) and the status word.
    const recipient = `${bAddress.slice(0, 10)}…${bAddress.slice(-4)}`;
    await a.getByTestId('send-outcome-status').waitFor({ timeout: 20_000 });
    const said = (await outcome.textContent())!.replace(/\s+/g, ' ').trim();
    expect(said).toMatch(
      new RegExp(
        `^Sent 3 tokens to ${recipient}\\. The network accepted it\\. Status: (${STATUS_WORD.arriving}|${STATUS_WORD.safe})\\. `,
      ),
    );
    expect(said).not.toMatch(/[0-9a-f]{12}/); // no transaction id
    await expect
      .poll(() => a.getByTestId('send-outcome-status').textContent(), { timeout: 30_000 })
      .toBe(STATUS_WORD.safe);

    // Paid: its notice goes on every view, and the banner it held back comes back.
    for (const view of VIEWS) {
      await showView(a, view);
      expect(await a.getByTestId('payment-link-applied').count(), view).toBe(0);
      expect(await noticeArea(a), view).toEqual(['update-notice', 'lock-bar']);
    }
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 120_000);

  it('the Network view leads with people, payments and whether this device has them all', async () => {
    await showView(a, 'Network');
    const summary = a.getByTestId('network-summary');
    await expect
      .poll(async () => (await summary.textContent())!.trim(), { timeout: 20_000 })
      .toMatch(/^Connected to 1 person; the network holds \d+ payments; you have all of them\.$/);
    // The developer's figures are kept, closed, below it.
    const details = a.getByTestId('network-details');
    expect(await details.getAttribute('open')).toBeNull();
    await details.getByText('Details for developers').click();
    expect(await a.getByTestId('peer-count').isVisible()).toBe(true);
    expect(
      await a.evaluate(() => {
        const summaryNode = document.querySelector('[data-testid=network-summary]')!;
        const detailsNode = document.querySelector('[data-testid=network-details]')!;
        return summaryNode.compareDocumentPosition(detailsNode) === Node.DOCUMENT_POSITION_FOLLOWING;
      }),
    ).toBe(true);
  }, 60_000);

  it('with the devnet down, the header and the navigation say the server is not answering beside the peers', async () => {
    // B's app is saved on its device: the next test starts it from there.
    await b.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => a.getByTestId('nav-status').getAttribute('data-tone')).toBe('good');
    await world.devnet.close();
    // A and B still reach each other over WebRTC: one peer each, but nobody new can find them.
    const header = b.getByTestId('header-status');
    await expect
      .poll(async () => (await header.textContent())!.trim(), { timeout: 30_000 })
      .toMatch(/ · 1 peer · server not answering$/);
    await expect
      .poll(async () => (await a.getByTestId('nav-status').textContent())!.trim(), { timeout: 30_000 })
      .toBe('1 peer · server not answering');
    // Its dot says the same: not the green of a network that finds people.
    expect(await a.getByTestId('nav-status').getAttribute('data-tone')).toBe('warning');
  }, 60_000);

  it('B started from its service worker with the server down does not probe the server every 3 s', async () => {
    // B reloads with its server gone: the app comes from the service worker, on the network saved here.
    const header = b.getByTestId('header-status');
    const refused: string[] = [];
    const onConsole = (message: ConsoleMessage) => {
      if (`${message.location().url} ${message.text()}`.includes('/network.json'))
        refused.push(message.text());
    };
    await b.reload();
    await nodeStarted(b);
    b.on('console', onConsole);
    const watched = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 25_000));
    b.off('console', onConsole);
    console.log(
      `${refused.length} console lines about /network.json in ${Date.now() - watched} ms with the server down`,
    );
    expect(refused).toEqual([]);
    await expect
      .poll(async () => (await header.textContent())!.trim())
      .toMatch(/ · (Offline|Server not answering)$/);
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 90_000);
});

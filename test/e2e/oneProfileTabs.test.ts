// One person, several tabs: pages of ONE browser context share its IndexedDB, so they are one person's
// tabs. On the real devnet (tracker, faucet, app) in real Chromium: the first tab is the ledger's one
// writer (src/ledger/ledgerWriterLock.ts); a second tab shows the same wallet and works through the
// first (src/app/followOtherTab.ts). Both pay from the one output at once: one payment is signed, the
// other is refused in words, nothing conflicting is signed. When the writer's tab is closed abruptly,
// the other takes over with everything the first one stored, and pays from what is left. Two tabs opened
// at once both show the wallet (the tab channel's ready handshake).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDevnet } from '../../server/startDevnet.ts';
import { txIdOf } from '../../src/core/txId.ts';
import {
  nodeStarted,
  openFeeOptions,
  openNode,
  pay,
  readStoredLedger,
  showView,
  spendable,
  takeFaucetTokens,
  waitForEntry,
} from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';
import { storedLedgerProblems } from '../support/storedLedgerProblems.ts';
import { personNamed } from '../support/testNetwork.ts';

const FOLLOWING_TEXT =
  'This wallet is open in another tab of this browser too: this tab works through that one. Close it and this one takes over.';

let world: E2eDevnet;
let devnet: RunningDevnet;
let first: Page;
let second: Page;
let address: string;
const bob = personNamed('bob').address;
/** The memo of the one payment of the two tabs that was signed. */
let madeMemo = '';

beforeAll(async () => {
  world = await startE2eDevnet();
  devnet = world.devnet;
  first = await world.userPage();
  address = await openNode(first, devnet.appUrl);
}, 90_000);

afterAll(async () => {
  await world?.close();
});

/** Another tab of the same person: a page of the first tab's context (same profile, same storage). */
async function anotherTab(): Promise<Page> {
  const page = await first.context().newPage();
  page.on('pageerror', (err) => world.pageErrors.push(`${err.message}\n${err.stack ?? ''}`));
  if (process.env.DEBUG_PAGES) page.on('console', (m) => console.log(`[second] ${m.type()} ${m.text()}`));
  return page;
}

/** Fills the send form and opens the review (nothing is signed yet). */
async function review(page: Page, tokens: number, memo: string): Promise<void> {
  await showView(page, 'Send');
  await page.getByLabel('Recipient address').fill(bob);
  await page.getByLabel('Amount').fill(String(tokens));
  await page.getByLabel(/^Memo/).fill(memo);
  await page.getByRole('button', { name: 'Review payment' }).click();
  await page.getByTestId('send-review-panel').waitFor();
  await openFeeOptions(page);
  await page.getByTestId('send-pay-fee').check();
}

/** After Sign and send: the outcome's text, or the failure's. */
async function signed(page: Page): Promise<{ outcome: string } | { failure: string }> {
  const outcome = page.getByTestId('send-outcome');
  const failure = page.getByTestId('send-failure');
  await outcome.or(failure).waitFor({ timeout: 30_000 });
  return (await failure.isVisible())
    ? { failure: (await failure.textContent())! }
    : { outcome: (await outcome.textContent())! };
}

describe('one person, two tabs of one browser profile', () => {
  it('a second tab shows the same wallet and says it works through the first', async () => {
    await takeFaucetTokens(first);
    second = await anotherTab();
    await second.goto(devnet.appUrl);
    expect(await nodeStarted(second)).toBe(address);
    const banner = second.locator('[data-testid=other-tab][data-following]');
    expect((await banner.textContent())!.replace(/\s+/gu, ' ').trim()).toBe(FOLLOWING_TEXT);
    await expect.poll(() => spendable(second)).toBe(await spendable(first));
    expect(await first.getByTestId('other-tab').count()).toBe(0);
  }, 60_000);

  it('both tabs pay 600 from the one output of about 1,000 at once: exactly one is signed, the other is told why', async () => {
    const before = await spendable(first);
    expect(before).toBeLessThan(1200n);
    await Promise.all([review(first, 600, 'from the first tab'), review(second, 600, 'from the second tab')]);
    // Both reviews chose the same tokens; now both confirm at once.
    await Promise.all([
      first.getByRole('button', { name: 'Sign and send' }).click(),
      second.getByRole('button', { name: 'Sign and send' }).click(),
    ]);
    const results = await Promise.all([signed(first), signed(second)]);
    const made = results.filter((r) => 'outcome' in r);
    madeMemo = 'outcome' in results[0] ? 'from the first tab' : 'from the second tab';
    const refused = results.filter((r) => 'failure' in r);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ outcome: expect.stringContaining('accepted') });
    expect(refused).toEqual([
      {
        failure:
          'Could not sign and send the payment: another payment spent these tokens since this one was reviewed (in this tab or another); nothing was signed — review the payment again.',
      },
    ]);
    const stored = await readStoredLedger(first, devnet.network.genesisId);
    const memos = stored.bytes.map((text) => JSON.parse(Buffer.from(text, 'base64').toString('utf8')).memo);
    expect(
      memos.filter((memo) => memo === 'from the first tab' || memo === 'from the second tab'),
    ).toHaveLength(1);
    expect(stored.statuses).not.toContain('conflict');
    await expect.poll(() => spendable(second)).toBeLessThanOrEqual(before - 600n);
  }, 90_000);

  it('closing the writer tab abruptly hands the ledger to the other tab, with nothing lost', async () => {
    const left = await spendable(first);
    const history = await first.locator('[data-testid=history-entry]').count();
    await first.close({ runBeforeUnload: false });
    // The other tab starts its own node by itself, without a reload: the banner goes.
    await second.getByTestId('other-tab').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await nodeStarted(second)).toBe(address);
    await expect.poll(() => second.locator('[data-testid=history-entry]').count()).toBe(history);
    expect(await spendable(second)).toBe(left);
    const stored = await readStoredLedger(second, devnet.network.genesisId);
    const params = { genesisId: devnet.network.genesisId, powUnit: BigInt(devnet.network.powUnit) };
    expect(await storedLedgerProblems(stored, params)).toEqual([]);
  }, 60_000);

  it('the payment the closed tab made with no peer around goes out from the tab that took over', async () => {
    // Nobody else was on the network while the first tab ran: its payment is only stored, and queued.
    const paid = await waitForEntry(second, madeMemo, 'accepted');
    const someoneElse = await world.userPage();
    await openNode(someoneElse, devnet.appUrl);
    await expect
      .poll(
        async () =>
          (await readStoredLedger(someoneElse, devnet.network.genesisId)).bytes.some(
            (text) => txIdOf(Buffer.from(text, 'base64')) === paid,
          ),
        { timeout: 60_000 },
      )
      .toBe(true);
  }, 90_000);

  it('the tab that took over pays from what is left, and says so when asked for more', async () => {
    expect(await pay(second, bob, 100, 'after taking over', 'fee')).toContain('accepted');
    await waitForEntry(second, 'after taking over', 'accepted');
    await showView(second, 'Send');
    await second.getByLabel('Recipient address').fill(bob);
    await second.getByLabel('Amount').fill('600');
    await expect
      .poll(() => second.getByTestId('send-amount-problem').textContent())
      .toMatch(/^You can spend at most/u);
    expect(await second.getByRole('button', { name: 'Review payment' }).isDisabled()).toBe(true);
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 60_000);

  it('two tabs opened at once (a browser restoring its session) both show the wallet', async () => {
    // A person with a wallet already: one tab made it, then closed.
    const made = await world.userPage();
    const own = await openNode(made, devnet.appUrl);
    await made.close();
    const tabs = await Promise.all([made.context().newPage(), made.context().newPage()]);
    // Whichever tab takes the ledger, the other follows it, and is answered once the writer serves.
    const addresses = await Promise.all(
      tabs.map((tab) => tab.goto(devnet.appUrl).then(() => nodeStarted(tab))),
    );
    expect(addresses).toEqual([own, own]);
    const following = await Promise.all(
      tabs.map((tab) => tab.locator('[data-testid=other-tab][data-following]').count()),
    );
    expect(following.sort()).toEqual([0, 1]);
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 60_000);
});

// One person, several tabs: pages of ONE browser context share its IndexedDB, so they are one person's
// tabs. On the real devnet (tracker, faucet, app) in real Chromium: the first tab is the ledger's one
// writer (src/ledger/ledgerWriterLock.ts); a second tab waits and says so, and never opens the ledger or
// signs; when the writer's tab is closed abruptly, the waiting tab takes over with everything the first
// one stored, and pays from what is left.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDevnet } from '../../server/startDevnet.ts';
import {
  nodeStarted,
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

const OTHER_TAB_TEXT =
  'This wallet is open in another tab of this browser. Use that tab, or close it and this one takes over.';

let world: E2eDevnet;
let devnet: RunningDevnet;
let first: Page;
let second: Page;
let address: string;
const bob = personNamed('bob').address;

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
  return page;
}

describe('one person, two tabs of one browser profile', () => {
  it('a second tab waits and says so: no wallet, no send form, nothing signed there', async () => {
    await takeFaucetTokens(first);
    second = await anotherTab();
    await second.goto(devnet.appUrl);
    await expect.poll(() => second.getByTestId('other-tab').textContent()).toContain('another tab');
    expect((await second.getByTestId('other-tab').textContent())!.replace(/\s+/gu, ' ').trim()).toBe(
      OTHER_TAB_TEXT,
    );
    await second.goto(`${devnet.appUrl}#/send`);
    await second.getByTestId('other-tab').waitFor();
    expect(await second.getByRole('button', { name: 'Review payment' }).count()).toBe(0);
    expect(await second.getByTestId('address').count()).toBe(0);
  }, 60_000);

  it('both tabs try to pay from the one output at once: only the writer signs; the other says where to pay', async () => {
    const before = await spendable(first);
    const [outcome] = await Promise.all([
      pay(first, bob, 600, 'from the first tab', 'fee'),
      (async () => {
        await second.goto(`${devnet.appUrl}#/send`);
        await second.getByTestId('other-tab').waitFor();
      })(),
    ]);
    expect(outcome).toContain('accepted');
    await waitForEntry(first, 'from the first tab', 'accepted');
    expect(await spendable(first)).toBeLessThanOrEqual(before - 600n);
    expect(await second.getByRole('button', { name: 'Sign and send' }).count()).toBe(0);
    expect(await second.getByTestId('other-tab').isVisible()).toBe(true);
  }, 60_000);

  it('closing the writer tab abruptly hands the ledger to the waiting tab, with nothing lost', async () => {
    const left = await spendable(first);
    await first.close({ runBeforeUnload: false });
    // The waiting tab opens the ledger by itself, without a reload.
    expect(await nodeStarted(second, 30_000)).toBe(address);
    expect(await second.getByTestId('other-tab').count()).toBe(0);
    await waitForEntry(second, 'from the first tab', 'accepted');
    expect(await spendable(second)).toBe(left);
    const stored = await readStoredLedger(second, devnet.network.genesisId);
    const params = { genesisId: devnet.network.genesisId, powUnit: BigInt(devnet.network.powUnit) };
    expect(await storedLedgerProblems(stored, params)).toEqual([]);
  }, 60_000);

  it('the tab that took over pays from what is left, and says so when asked for more', async () => {
    expect(await pay(second, bob, 100, 'from the second tab', 'fee')).toContain('accepted');
    await waitForEntry(second, 'from the second tab', 'accepted');
    await showView(second, 'Send');
    await second.getByLabel('Recipient address').fill(bob);
    await second.getByLabel('Amount').fill('600');
    await expect
      .poll(() => second.getByTestId('send-amount-problem').textContent())
      .toMatch(/^You can spend at most/u);
    expect(await second.getByRole('button', { name: 'Review payment' }).isDisabled()).toBe(true);
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 60_000);
});

// Crash consistency of a payment, end to end on the real devnet in real Chromium: a tab with no peer (its
// recipient is away, so nothing can be sent yet) is closed abruptly right after Sign and send, and again
// right after the payment was shown as made. Each time the reopened tab's ledger is consistent
// (test/support/storedLedgerProblems.ts) and the payment is in it whole or not at all; once stored it is
// queued, and reaches its recipient as soon as the recipient's tab comes back as a peer.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDevnet } from '../../server/startDevnet.ts';
import {
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

const CUT_SHORT = 'closed right after sign and send';
const MADE = 'closed once shown as made';

let world: E2eDevnet;
let devnet: RunningDevnet;
let payer: Page;
let recipient: Page;
let recipientAddress: string;

beforeAll(async () => {
  world = await startE2eDevnet();
  devnet = world.devnet;
  [payer, recipient] = await Promise.all([world.userPage(), world.userPage()]);
  recipientAddress = await openNode(recipient, devnet.appUrl);
  // The recipient goes away (its profile stays): the payer has no peer, so its payments wait.
  await recipient.close();
  await openNode(payer, devnet.appUrl);
  await takeFaucetTokens(payer);
}, 90_000);

afterAll(async () => {
  await world?.close();
});

/** Closes a tab abruptly and opens the same profile again in a new one. */
async function crashAndReopen(page: Page): Promise<Page> {
  await page.close({ runBeforeUnload: false });
  const reopened = await page.context().newPage();
  reopened.on('pageerror', (err) => world.pageErrors.push(`${err.message}\n${err.stack ?? ''}`));
  await openNode(reopened, devnet.appUrl);
  return reopened;
}

/** The stored payments of the payer with `memo`, and the ledger's problems. */
async function storedPayment(page: Page, memo: string): Promise<{ statuses: string[]; problems: string[] }> {
  const stored = await readStoredLedger(page, devnet.network.genesisId);
  const params = { genesisId: devnet.network.genesisId, powUnit: BigInt(devnet.network.powUnit) };
  const statuses = stored.bytes.flatMap((text, i) =>
    (JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as { memo?: string }).memo === memo
      ? [stored.statuses[i]!]
      : [],
  );
  return { statuses, problems: await storedLedgerProblems(stored, params) };
}

describe('a tab closed mid-payment', () => {
  let cutShortStored = false;

  it('closed right after Sign and send: reopens consistent, with the payment whole or not at all', async () => {
    const before = await spendable(payer);
    await showView(payer, 'Send');
    await payer.getByLabel('Recipient address').fill(recipientAddress);
    await payer.getByLabel('Amount').fill('250');
    await payer.getByLabel(/^Memo/).fill(CUT_SHORT);
    await payer.getByRole('button', { name: 'Review payment' }).click();
    await payer.getByTestId('send-review-panel').waitFor();
    await openFeeOptions(payer);
    await payer.getByTestId('send-pay-fee').check(); // signed at once: no mining before it
    await payer.getByRole('button', { name: 'Sign and send' }).click();
    payer = await crashAndReopen(payer);
    const { statuses, problems } = await storedPayment(payer, CUT_SHORT);
    expect(problems).toEqual([]);
    cutShortStored = statuses.length > 0;
    console.log(`closed right after Sign and send: the payment was ${cutShortStored ? '' : 'not '}stored`);
    if (cutShortStored) {
      expect(statuses).toEqual(['accepted']);
      await waitForEntry(payer, CUT_SHORT, 'accepted');
      expect(await spendable(payer)).toBeLessThanOrEqual(before - 250n);
    } else {
      expect(await spendable(payer)).toBe(before);
    }
  }, 60_000);

  it('closed once shown as made: the payment is stored and queued', async () => {
    expect(await pay(payer, recipientAddress, 300, MADE, 'fee')).toContain('accepted');
    payer = await crashAndReopen(payer);
    await waitForEntry(payer, MADE, 'accepted');
    const { statuses, problems } = await storedPayment(payer, MADE);
    expect(problems).toEqual([]);
    expect(statuses).toEqual(['accepted']);
  }, 60_000);

  it('the stored payments reach the recipient as soon as it is back as a peer', async () => {
    // The recipient's profile (its context) outlived its closed tab.
    const back = await recipient.context().newPage();
    back.on('pageerror', (err) => world.pageErrors.push(`${err.message}\n${err.stack ?? ''}`));
    expect(await openNode(back, devnet.appUrl)).toBe(recipientAddress);
    await waitForEntry(back, MADE, 'accepted', 60_000);
    if (cutShortStored) await waitForEntry(back, CUT_SHORT, 'accepted', 60_000);
    const { problems } = await storedPayment(back, MADE);
    expect(problems).toEqual([]);
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 90_000);
});

// Payment requests end to end: B's address (its QR code a link to it) and request link are shown with
// QR codes that a decoder reads back; A opens B's request link and finds the send form filled in, with
// nothing sent; a link with a mistyped address is refused with the checksum message and fills nothing;
// the web+ttx: form that the protocol handler delivers (#pay?uri=…) fills the form when the page loads
// with it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDevnet } from '../../server/startDevnet.ts';
import { formatPaymentUri } from '../../src/app/paymentLink.ts';
import {
  nodeStarted,
  openNode,
  pay,
  sendForm,
  showView,
  spendable,
  takeFaucetTokens,
} from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';
import { readQrCode } from '../support/readQrCode.ts';

const MEMO = 'lunch & coffee #2? 50% off ☕ <b>not bold</b>';

let world: E2eDevnet;
let devnet: RunningDevnet;
let a: Page;
let b: Page;
let bAddress: string;

async function historyLength(page: Page): Promise<number> {
  return page.locator('[data-testid=history-entry]').count();
}

beforeAll(async () => {
  world = await startE2eDevnet();
  devnet = world.devnet;
  [a, b] = await Promise.all([world.userPage(), world.userPage()]);
  await openNode(a, devnet.appUrl);
  bAddress = await openNode(b, devnet.appUrl);
  // A has tokens, so "nothing was sent" below is a real claim, not a wallet that could not pay.
  await takeFaucetTokens(a);
}, 90_000);

afterAll(async () => {
  await world?.close();
});

describe('payment requests', () => {
  let link: string;

  it("B's address is shown as text, with a copy button and a QR code of a payment link to it", async () => {
    await showView(b, 'Receive');
    expect((await b.getByTestId('receive-address').textContent())?.trim()).toBe(bAddress);
    await b.getByRole('button', { name: 'Copy address' }).waitFor();
    const qr = b.getByRole('img', { name: 'QR code of a payment link to your address' });
    expect(await qr.getAttribute('data-testid')).toBe('receive-address-qr');
    // A link, not the bare address: a phone's camera opens a web link (test/e2e/scanAndPaste.test.ts).
    expect(await readQrCode(qr)).toBe(`${devnet.appUrl.replace(/\/?$/, '/')}#pay?to=${bAddress}`);
  }, 30_000);

  it('B requests 7 tokens with a memo: a request link and a QR code that reads as the link', async () => {
    await b.getByLabel('Tokens to request').fill('7');
    await b.getByLabel(/^Request memo/).fill(MEMO);
    link = (await b.getByTestId('request-link').textContent())!.trim();
    expect(link.startsWith(`${devnet.appUrl.replace(/\/?$/, '/')}#pay?to=${bAddress}&tokens=7&memo=`)).toBe(
      true,
    );
    expect(await readQrCode(b.getByTestId('request-qr'))).toBe(link);
    // The memo is text: its markup is not parsed anywhere on the page.
    expect(await b.locator('[data-testid=request-link] b').count()).toBe(0);
  }, 30_000);

  it("A opens B's link: the send form holds B's request, focused, and nothing is sent", async () => {
    const balance = await spendable(a);
    const entries = await historyLength(a);
    await a.goto(link); // same page, new hash: the hashchange path
    await expect.poll(() => sendForm(a)).toEqual({ to: bAddress, tokens: '7', memo: MEMO });
    await a.getByTestId('payment-link-applied').waitFor();
    expect(await a.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('send-to');
    // Taken off, so a reload does not apply it again; the address bar names the Send view instead.
    expect(new URL(a.url()).hash).toBe('#/send');
    expect(await a.locator('[data-view=send]').isVisible()).toBe(true);
    expect(await a.getByTestId('send-outcome').count()).toBe(0);
    // A pays 1 token on purpose. The ledger takes transactions one at a time, so a payment the link
    // had (wrongly) started would be signed before this one: the balance would never read balance − 1.
    await pay(a, bAddress, 1, 'after the link');
    await expect
      .poll(async () => ({ spendable: await spendable(a), entries: await historyLength(a) }))
      .toEqual({ spendable: balance - 1n, entries: entries + 1 });

    await a.reload();
    await nodeStarted(a);
    expect(await sendForm(a)).toEqual({ to: '', tokens: '', memo: '' });
  }, 60_000);

  it('a link with a mistyped address shows the checksum message and fills nothing', async () => {
    const c = await world.userPage();
    const typo = bAddress.slice(0, -1) + (bAddress.endsWith('q') ? 'p' : 'q');
    await openNode(c, `${devnet.appUrl}#pay?to=${typo}&tokens=5&memo=hi`); // the page-load path
    const alert = c.getByRole('alert').filter({ hasText: 'payment link' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      '"to" is not a valid address: checksum does not match — a character is mistyped',
    );
    expect(await sendForm(c)).toEqual({ to: '', tokens: '', memo: '' });
    expect(new URL(c.url()).hash).not.toContain('pay');

    // The same user then loads a web+ttx: link as the protocol handler hands it over.
    const uri = formatPaymentUri({ to: bAddress, tokens: '3', memo: MEMO });
    await c.goto('about:blank');
    await openNode(c, `${devnet.appUrl}#pay?uri=${encodeURIComponent(uri)}`);
    await expect.poll(() => sendForm(c)).toEqual({ to: bAddress, tokens: '3', memo: MEMO });
    expect(await c.getByTestId('payment-link-problem').count()).toBe(0);
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 60_000);
});

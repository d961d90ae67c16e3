// Sending as a person does: a mistyped address is caught once it is complete (not while it is typed) and
// nothing is sent; an address in capitals is taken; an amount grouped as the page writes it ("1,000") is
// taken; a memo over 280 bytes says so in words; the review says the fee in one line of words, on screen
// with its "Sign and send" on a phone (390×844) and a desktop without scrolling, and keeps the branch base
// and the cost choices behind "Fee options"; mining shows its progress; an amount no single received
// payment covers goes out as several transactions that add up to it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openFeeOptions,
  openNode,
  showView,
  spendable,
  takeFaucetTokens,
  waitForPeers,
} from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';

let world: E2eDevnet;
let a: Page;
let b: Page;
/** A person on a phone (the size issue 17 tried: "Sign and send" was at y = 1,323 of 844). */
let phone: Page;
let bAddress: string;
const PHONE = { width: 390, height: 844 };
/** The fee line when the person keeps the default (mine to the base): no fee, and the device's time. */
const NO_FEE_LINE = /^Network fee: none \(your device works (under a second|about \d+ (s|min))\)$/;

beforeAll(async () => {
  world = await startE2eDevnet();
  [a, b, phone] = await Promise.all([world.userPage(), world.userPage(), world.userPage(PHONE)]);
  await openNode(a, world.devnet.appUrl);
  bAddress = await openNode(b, world.devnet.appUrl);
  await openNode(phone, world.devnet.appUrl);
  await takeFaucetTokens(a);
  await takeFaucetTokens(phone);
  await Promise.all([waitForPeers(a), waitForPeers(b), waitForPeers(phone)]);
}, 90_000);

/**
 * Where "Sign and send" is, as the page stands (nothing scrolled by the test; a Playwright click would
 * scroll): its box within the window, and whether it is the element a tap at its centre reaches (not under
 * the phone's navigation bar).
 */
async function signButtonOnScreen(page: Page): Promise<{ top: number; bottom: number; reached: boolean }> {
  return page.getByRole('button', { name: 'Sign and send' }).evaluate((button) => {
    const box = button.getBoundingClientRect();
    const atCentre = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return { top: box.top, bottom: box.bottom, reached: atCentre === button || button.contains(atCentre) };
  });
}

/** The review's words as the person sees them (a closed disclosure's content is not rendered). */
async function reviewWords(page: Page): Promise<string> {
  return page.getByTestId('send-review-panel').innerText();
}

afterAll(async () => {
  await world?.close();
});

describe('sending', () => {
  it('the address is checked once complete or left, not while typed; capitals are taken; a long memo says so', async () => {
    await showView(a, 'Send');
    const to = a.getByLabel('Recipient address');
    const problem = a.getByTestId('send-to-problem');
    // Half an address, still being typed: no complaint yet, and nothing to review.
    await to.pressSequentially(bAddress.slice(0, 20));
    expect(await problem.textContent()).toBe('');
    expect(await to.getAttribute('aria-invalid')).toBe('false');
    // Leaving the field is when an incomplete address is worth a word.
    await a.getByLabel('Amount').focus();
    await expect.poll(() => problem.textContent()).toContain('62 characters');
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    // An all-capitals address (as QR codes carry it) is the same address.
    await to.fill(bAddress.toUpperCase());
    await a.getByLabel('Amount').fill('5');
    await expect.poll(() => problem.textContent()).toBe('');
    expect(await a.getByRole('button', { name: 'Review payment' }).isEnabled()).toBe(true);
    // The amount as the page itself writes it (en-US: "1,000") is taken; a grouping that could mean
    // another number is refused in words.
    const amountProblem = a.getByTestId('send-amount-problem');
    await a.getByLabel('Amount').fill('1,000');
    await expect.poll(() => amountProblem.textContent()).toBe('');
    expect(await a.getByRole('button', { name: 'Review payment' }).isEnabled()).toBe(true);
    await a.getByLabel('Amount').fill('1,00');
    await expect.poll(() => amountProblem.textContent()).toContain('digit groups look wrong');
    expect(await a.getByRole('button', { name: 'Review payment' }).isDisabled()).toBe(true);
    await a.getByLabel('Amount').fill('5');
    // A memo over 280 bytes: said in words, and nothing to review.
    await a.getByLabel(/^Memo/).fill('☕'.repeat(94)); // 282 bytes in 94 characters
    expect(await a.getByTestId('send-memo-problem').textContent()).toBe(
      'The memo is 282 bytes; it can hold 280. Shorten it by 2 bytes (most letters take 1, accented ones 2, emoji 4).',
    );
    expect(await a.getByRole('button', { name: 'Review payment' }).isDisabled()).toBe(true);
    await a.getByLabel(/^Memo/).fill('');
    await to.fill('');
    await a.getByLabel('Amount').fill('');
  }, 30_000);

  it('a mistyped address gets the checksum message and nothing can be sent', async () => {
    const typo = bAddress.slice(0, -1) + (bAddress.endsWith('q') ? 'p' : 'q');
    await a.getByLabel('Recipient address').fill(typo);
    await a.getByLabel('Amount').fill('5');
    await expect
      .poll(() => a.getByTestId('send-to-problem').textContent())
      .toContain('Checksum does not match');
    expect(await a.getByRole('button', { name: 'Review payment' }).isDisabled()).toBe(true);
    await a.getByLabel('Recipient address').fill('');
    await a.getByLabel('Amount').fill('');
  }, 30_000);

  it('mining to mint shows progress, and the recipient sees the minted value', async () => {
    const before = await spendable(b);
    await a.getByLabel('Recipient address').fill(bAddress);
    await a.getByLabel('Amount').fill('10');
    await a.getByLabel(/^Memo/).fill('mined for you');
    await a.getByRole('button', { name: 'Review payment' }).click();
    await openFeeOptions(a);
    await a.getByTestId('send-mint').check();
    await a.getByLabel('Extra bits to mine').selectOption('12');
    await a.getByRole('button', { name: 'Sign and send' }).click();
    // The base plus 12 bits is about a million hashes: the progress bar shows while the pool works. Its
    // text is read in the same poll that finds it: on a quiet machine the pool can finish in under a
    // second, and the bar is gone before a second look (CI waited 30 s for it so).
    const shown = await a.waitForFunction(
      () => document.querySelector('[data-testid=mining-progress]')?.textContent ?? null,
      undefined,
      { timeout: 10000 },
    );
    expect(await shown.jsonValue()).toMatch(/hashes\/s/);
    await a.getByTestId('send-outcome').waitFor({ timeout: 90000 });
    expect(await a.getByTestId('send-outcome').textContent()).toContain('accepted');
    await expect.poll(() => spendable(b), { timeout: 20000 }).toBeGreaterThan(before + 10n);
  }, 90_000);

  it('on a phone, the review opens on screen with "Sign and send" visible, the fee in words; it pays', async () => {
    await showView(phone, 'Send');
    const before = await spendable(b);
    await phone.getByLabel('Recipient address').fill(bAddress);
    await phone.getByLabel('Amount').fill('7');
    await phone.getByLabel(/^Memo/).fill('from a phone');
    await phone.getByRole('button', { name: 'Review payment' }).click();
    await phone.getByTestId('send-review-panel').waitFor();
    // Without the test scrolling: the button is inside the 844 px window and a tap reaches it.
    const place = await signButtonOnScreen(phone);
    expect(place.top).toBeGreaterThanOrEqual(0);
    expect(place.bottom).toBeLessThanOrEqual(PHONE.height);
    expect(place.reached).toBe(true);
    // One line of words for the cost; none of the protocol's wording until Fee options is opened.
    expect(await phone.getByTestId('send-fee-line').innerText()).toMatch(NO_FEE_LINE);
    expect(await reviewWords(phone)).not.toMatch(/bits|proof-of-work|by chance|base/iu);
    expect(await phone.getByText(/Proof-of-work base of this branch/).isVisible()).toBe(false);
    await openFeeOptions(phone);
    expect(await phone.getByText(/Proof-of-work base of this branch/).isVisible()).toBe(true);
    expect(await reviewWords(phone)).toMatch(/Mine \d+ bits: no fee/);
    // The default choice still goes through.
    await phone.getByRole('button', { name: 'Sign and send' }).click();
    await phone.getByTestId('send-outcome').waitFor({ timeout: 60000 });
    expect(await phone.getByTestId('send-outcome').textContent()).toContain('The network accepted it.');
    await expect.poll(() => spendable(b), { timeout: 20000 }).toBeGreaterThanOrEqual(before + 7n);
  }, 90_000);

  it('shows the fee in words, and the base and choices behind Fee options; paying the fee needs no mining', async () => {
    await a.getByLabel('Recipient address').fill(bAddress);
    await a.getByLabel('Amount').fill('3');
    await a.getByRole('button', { name: 'Review payment' }).click();
    await a.getByTestId('send-review-panel').waitFor();
    // On a desktop too the review's button is on screen as it opens.
    const place = await signButtonOnScreen(a);
    expect(place.top).toBeGreaterThanOrEqual(0);
    expect(place.bottom).toBeLessThanOrEqual(a.viewportSize()!.height);
    expect(place.reached).toBe(true);
    expect(await a.getByTestId('send-fee-line').innerText()).toMatch(NO_FEE_LINE);
    expect(await reviewWords(a)).not.toMatch(/bits|proof-of-work|by chance|base/iu);
    await openFeeOptions(a);
    const base = Number(await a.getByTestId('send-base').textContent());
    expect(base).toBeGreaterThan(0);
    // The fee is explained against the base it shows: short of it by so many bits, or why less.
    const reason = (await a.getByTestId('send-fee-reason').textContent())!;
    expect(reason).toMatch(
      new RegExp(
        `${base} bits short of the base|base is ${base} bits and the unmined payment's hash already has|already meets the base of ${base} bits`,
      ),
    );
    await a.getByTestId('send-pay-fee').check();
    expect(await a.getByTestId('send-summary').textContent()).toMatch(
      /You pay [\d,.\s]+ tokens?: 3 tokens to the recipient/,
    );
    // The one line follows the choice: the fee, in words, and no work.
    expect(await a.getByTestId('send-fee-line').innerText()).toMatch(
      /^Network fee: ([\d,.\s]+ tokens? \(sent at once, your device does no work\)|none \(sent at once: this payment needs no work\))$/,
    );
    await a.getByTestId('send-mint').check();
    expect(await a.getByTestId('send-summary').textContent()).toContain('minted by your proof of work');
    expect(await a.getByTestId('send-fee-line').innerText()).toMatch(
      /^Network fee: none \(your device works .+ and mints [\d,.\s]+ tokens? or more for the recipient\)$/,
    );
    await a.getByRole('button', { name: 'Back', exact: true }).click();
  }, 30_000);

  it('an amount no single payment covers is sent as several transactions', async () => {
    await takeFaucetTokens(a); // a second faucet payment: two sources of about 1000
    await expect.poll(() => spendable(a), { timeout: 20000 }).toBeGreaterThan(1500n);
    await showView(a, 'Send');
    const before = await spendable(b);
    await a.getByLabel('Recipient address').fill(bAddress);
    await a.getByLabel('Amount').fill('1500');
    await a.getByRole('button', { name: 'Review payment' }).click();
    await expect.poll(() => a.getByTestId('send-parts').textContent()).toContain('2 transactions');
    await a.getByRole('button', { name: 'Sign and send' }).click();
    await a.getByTestId('send-outcome').waitFor({ timeout: 60000 });
    expect(await a.getByTestId('send-outcome').textContent()).toMatch(
      /in 2 parts\. The network accepted all of them\./,
    );
    await expect.poll(() => spendable(b), { timeout: 20000 }).toBeGreaterThanOrEqual(before + 1500n);
  }, 90_000);
});

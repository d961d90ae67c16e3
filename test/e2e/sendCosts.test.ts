// Sending as a person does: a mistyped address is caught once it is complete (not while it is typed) and
// nothing is sent; an address in capitals is taken; an amount grouped as the page writes it ("1,000") is
// taken; a memo over 280 bytes says so in words; the review shows the branch base, the cost choices and
// what they mean in words; mining shows its progress; an amount no single received payment covers goes
// out as several transactions that add up to it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNode, showView, spendable, takeFaucetTokens, waitForPeers } from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';

let world: E2eDevnet;
let a: Page;
let b: Page;
let bAddress: string;

beforeAll(async () => {
  world = await startE2eDevnet();
  [a, b] = await Promise.all([world.userPage(), world.userPage()]);
  await openNode(a, world.devnet.appUrl);
  bAddress = await openNode(b, world.devnet.appUrl);
  await takeFaucetTokens(a);
  await Promise.all([waitForPeers(a), waitForPeers(b)]);
}, 90_000);

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
    await a.getByTestId('send-mint').check();
    await a.getByLabel('Extra bits to mine').selectOption('12');
    await a.getByRole('button', { name: 'Sign and send' }).click();
    // The base plus 12 bits is about a million hashes: the progress bar shows while the pool works.
    await a.getByTestId('mining-progress').waitFor({ timeout: 10000 });
    expect(await a.getByTestId('mining-progress').textContent()).toMatch(/hashes\/s/);
    await a.getByTestId('send-outcome').waitFor({ timeout: 90000 });
    expect(await a.getByTestId('send-outcome').textContent()).toContain('accepted');
    await expect.poll(() => spendable(b), { timeout: 20000 }).toBeGreaterThan(before + 10n);
  }, 90_000);

  it('shows the base and fee before signing; paying the fee needs no mining', async () => {
    await a.getByLabel('Recipient address').fill(bAddress);
    await a.getByLabel('Amount').fill('3');
    await a.getByRole('button', { name: 'Review payment' }).click();
    await a.getByTestId('send-review-panel').waitFor();
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
    await a.getByTestId('send-mint').check();
    expect(await a.getByTestId('send-summary').textContent()).toContain('minted by your proof of work');
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

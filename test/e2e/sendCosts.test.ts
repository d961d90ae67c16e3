// Sending as a person does: a mistyped address is caught as it is typed and nothing is sent; the review
// shows the branch base and the cost choices; mining shows its progress; an amount no single received
// payment covers goes out as several transactions that add up to it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNode, spendable, takeFaucetTokens, waitForPeers } from '../support/appPage.ts';
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
  it('a mistyped address gets the checksum message and nothing can be sent', async () => {
    const typo = bAddress.slice(0, -1) + (bAddress.endsWith('q') ? 'p' : 'q');
    await a.getByLabel('Recipient address').fill(typo);
    await a.getByLabel('Amount').fill('5');
    await expect
      .poll(() => a.getByTestId('send-to-problem').textContent())
      .toContain('checksum does not match');
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
    expect(Number(await a.getByTestId('send-base').textContent())).toBeGreaterThan(0);
    await a.getByRole('button', { name: 'Back', exact: true }).click();
  }, 30_000);

  it('an amount no single payment covers is sent as several transactions', async () => {
    await takeFaucetTokens(a); // a second faucet payment: two sources of about 1000
    await expect.poll(() => spendable(a), { timeout: 20000 }).toBeGreaterThan(1500n);
    const before = await spendable(b);
    await a.getByLabel('Recipient address').fill(bAddress);
    await a.getByLabel('Amount').fill('1500');
    await a.getByRole('button', { name: 'Review payment' }).click();
    await expect.poll(() => a.getByTestId('send-parts').textContent()).toContain('2 transactions');
    await a.getByRole('button', { name: 'Sign and send' }).click();
    await a.getByTestId('send-outcome').waitFor({ timeout: 60000 });
    expect(await a.getByTestId('send-outcome').textContent()).toMatch(/accepted.*accepted/);
    await expect.poll(() => spendable(b), { timeout: 20000 }).toBeGreaterThanOrEqual(before + 1500n);
  }, 90_000);
});

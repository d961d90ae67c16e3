// The first run of a fresh browser profile, end to end as people go through it: the devnet on loopback,
// real Chromium with an isolated context per person, real IndexedDB and the real ledger worker. Nothing of
// a wallet shows before the person chooses: A creates one with a passphrase and backs up its words at
// once (no reminder, after a reload too); B creates one, skips the passphrase (told what that means) and
// backs up later: Home reminds B across a reload until B backs up from there, then never again; C, in
// another fresh profile, restores from A's words and lands on A's address without ever being shown a
// warning about the wallet the first open made, or that wallet's address. No word reaches the console.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backUpShownFlow } from '../support/accountsPage.ts';
import { firstRunScreen, nodeStarted } from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';

const PASSPHRASE = 'a passphrase for A';
/** Where the first-run steps are saved to be looked at, beside the other views (test/e2e/screens.test.ts). */
const SCREENS = join(import.meta.dirname, '../../test-results/screens');

let world: E2eDevnet;
const consoleText: string[] = [];
let aAddress: string;
let aWords: string[];

beforeAll(async () => {
  world = await startE2eDevnet();
  await mkdir(SCREENS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await world?.close();
});

/** A fresh profile at the app, on its first-run screen; everything it logs goes to consoleText. */
async function freshPerson(): Promise<Page> {
  const page = await world.userPage();
  page.on('console', (message) => consoleText.push(message.text()));
  await page.goto(world.devnet.appUrl);
  await firstRunScreen(page).waitFor({ timeout: 20000 });
  return page;
}

function reminder(page: Page) {
  return page.getByTestId('backup-reminder');
}

describe('the first run of a fresh browser profile', () => {
  it('A creates a wallet with a passphrase and backs up now: no reminder, after a reload too', async () => {
    const a = await freshPerson();
    // No wallet is shown before the person chose to have one.
    expect(await a.getByTestId('address').count()).toBe(0);
    await a.screenshot({ path: join(SCREENS, 'first-run-choose.png') });
    const screen = firstRunScreen(a);
    await screen.getByRole('button', { name: 'Create a new wallet' }).click();
    await a.screenshot({ path: join(SCREENS, 'first-run-passphrase.png') });
    expect(await screen.getByTestId('no-passphrase-means').textContent()).toContain(
      'anyone who uses this browser profile can spend your tokens',
    );
    await screen.getByLabel('New passphrase', { exact: true }).fill('short');
    await expect.poll(() => screen.getByRole('status').first().textContent()).toContain('at least 8');
    await screen.getByLabel('New passphrase', { exact: true }).fill(PASSPHRASE);
    await screen.getByLabel('Repeat the new passphrase').fill(PASSPHRASE);
    await screen.getByRole('button', { name: 'Set passphrase' }).click();
    await screen.getByRole('button', { name: 'Back up now' }).click();
    aWords = await backUpShownFlow(screen);
    expect(aWords).toHaveLength(24);
    await screen.waitFor({ state: 'detached', timeout: 20000 });
    aAddress = await nodeStarted(a);
    expect(await reminder(a).count()).toBe(0);
    expect(await a.getByTestId('lock-state').textContent()).toContain('Locked with a passphrase');
    await a.reload();
    expect(await nodeStarted(a)).toBe(aAddress);
    expect(await reminder(a).count()).toBe(0);
    // The passphrase seals the wallet: after the reload it is locked.
    await a.locator('[data-testid=lock-bar][data-locked=true]').waitFor({ timeout: 20000 });
  }, 120_000);

  it('B skips the passphrase and backs up later: Home reminds B across a reload until B backs up', async () => {
    const b = await freshPerson();
    const screen = firstRunScreen(b);
    await screen.getByRole('button', { name: 'Create a new wallet' }).click();
    await screen.getByRole('button', { name: 'Skip: no passphrase' }).click();
    await screen.getByRole('button', { name: 'Later' }).click();
    const bAddress = await nodeStarted(b);
    expect(bAddress).not.toBe(aAddress);
    await reminder(b).waitFor();
    expect(await reminder(b).textContent()).toContain('Your recovery words are not backed up.');
    await b.reload();
    expect(await nodeStarted(b)).toBe(bAddress);
    expect(await firstRunScreen(b).count()).toBe(0); // the choice is made once
    await reminder(b).waitFor();
    await reminder(b).getByRole('button', { name: 'Back up now' }).click();
    const words = await backUpShownFlow(reminder(b));
    expect(words).not.toEqual(aWords);
    await reminder(b).waitFor({ state: 'detached', timeout: 10000 });
    await b.reload();
    expect(await nodeStarted(b)).toBe(bAddress);
    expect(await reminder(b).count()).toBe(0);
  }, 120_000);

  it('C restores from A’s words in a fresh profile: A’s address, no warning about the new wallet ever', async () => {
    const c = await world.userPage();
    c.on('console', (message) => consoleText.push(message.text()));
    // Everything the page ever shows is watched from its first byte: warnings of the restore that
    // replaces a wallet, the backup reminder, and every address shown.
    await c.addInitScript(() => {
      const seen = new Set<string>();
      (window as unknown as { seenInPage: Set<string> }).seenInPage = seen;
      const look = () => {
        for (const id of ['restore-warning', 'restore-not-backed-up', 'backup-reminder']) {
          if (document.querySelector(`[data-testid=${id}]`)) seen.add(id);
        }
        const address = document.querySelector('[data-testid=address]')?.textContent?.trim();
        if (address) seen.add(`address ${address}`);
        if (/not backed up/u.test(document.body?.textContent ?? '')) seen.add('"not backed up"');
      };
      new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await c.goto(world.devnet.appUrl);
    const screen = firstRunScreen(c);
    await screen.getByRole('button', { name: 'Restore from recovery words' }).click();
    await screen.getByLabel('Recovery words (24, in order)').fill(aWords.join(' '));
    expect(await screen.getByTestId('restore-check').textContent()).toContain('24 words, checksum correct.');
    await screen.getByRole('button', { name: 'Continue' }).click();
    await screen.getByRole('button', { name: 'Restore the wallet' }).click();
    await screen.waitFor({ state: 'detached', timeout: 20000 });
    expect(await nodeStarted(c)).toBe(aAddress);
    await c.reload();
    expect(await nodeStarted(c)).toBe(aAddress);
    await c.waitForTimeout(500); // a refresh or two after the address: a reminder would show by now
    const seen = await c.evaluate(() => [...(window as unknown as { seenInPage: Set<string> }).seenInPage]);
    expect(seen).toEqual([`address ${aAddress}`]);
  }, 120_000);

  it('no recovery word was logged, and no page failed', () => {
    // Three words in a row, whatever separates them: single words are common English ("network").
    const logged = consoleText.join('\n');
    const runs = aWords
      .slice(2)
      .map((word, i) => new RegExp(`\\b${aWords[i]}\\W+${aWords[i + 1]}\\W+${word}\\b`, 'u'));
    expect(runs.filter((run) => run.test(logged)).map(String)).toEqual([]);
    expect(world.pageErrors).toEqual([]);
  });
});

// Every view as a person sees it, on a phone-sized and a desktop-sized window, in the light and the dark
// colour scheme: saved as PNG files under test-results/screens/ to be looked at (docs/screenshots/ keeps
// a copy; the first-run screen, the review and the confirmation of a payment too), and checked for what a
// machine can check: nothing scrolls sideways, every form control has a label and every button a name, controls are at least 44 px tall, text has readable contrast (WCAG AA:
// 4.5:1, 3:1 for large text) in both schemes, the navigation works by keyboard alone (Tab and Enter reach
// every view and the send form) and by the back button, and the money is explained in words.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  firstRunScreen,
  openNode,
  pay,
  showView,
  takeFaucetTokens,
  waitForEntry,
  waitForPeers,
  type ViewName,
} from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';

const SCREENS = join(import.meta.dirname, '../../test-results/screens');
const VIEWS: ViewName[] = ['Home', 'Send', 'Receive', 'Activity', 'Accounts', 'Network'];
const SIZES = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
const MEMO = 'lunch on Friday';

let world: E2eDevnet;
let desktop: Page;
let phone: Page;
const addresses = new Map<Page, string>();

beforeAll(async () => {
  world = await startE2eDevnet();
  await mkdir(SCREENS, { recursive: true });
  desktop = await world.userPage(SIZES.desktop);
  phone = await world.userPage(SIZES.phone);
  const desktopAddress = await openNode(desktop, world.devnet.appUrl);
  const phoneAddress = await openNode(phone, world.devnet.appUrl);
  addresses.set(desktop, phoneAddress).set(phone, desktopAddress);
  await takeFaucetTokens(desktop);
  await Promise.all([waitForPeers(desktop), waitForPeers(phone)]);
  // Two extra bits: the phone receives more than was sent, minted by the desktop's proof of work.
  await pay(desktop, phoneAddress, 250, MEMO, { mintBits: 2 });
  await waitForEntry(phone, MEMO, 'accepted');
  // The "works offline" notice comes once per browser; the pictures show the views without it.
  for (const page of [desktop, phone]) {
    const close = page.getByRole('status').getByRole('button', { name: 'Close' });
    if (await close.isVisible()) await close.click();
  }
}, 120_000);

/** A full-page picture with fixed bars where a person sees them: the window grown to the page's height. */
async function picture(page: Page, file: string, size: keyof typeof SIZES): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ ...SIZES[size], height: Math.max(height, SIZES[size].height) });
  await page.screenshot({ path: join(SCREENS, file) });
  await page.setViewportSize(SIZES[size]);
}

afterAll(async () => {
  await world?.close();
});

/**
 * Text elements of the shown view (and the navigation) whose contrast with the nearest opaque background
 * is below WCAG AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Disabled controls are exempt.
 */
function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const background = (el: Element): number[] => {
      for (let node: Element | null = el; node; node = node.parentElement) {
        const c = parse(getComputedStyle(node).backgroundColor);
        if (c.length === 3 || (c.length >= 4 && c[3]! > 0.9)) return c;
      }
      return parse(getComputedStyle(document.body).backgroundColor);
    };
    const failures: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!ownText || el.checkVisibility?.() === false || el.closest('[disabled], svg')) continue;
      const style = getComputedStyle(el);
      const [hi, lo] = [lum(parse(style.color)), lum(background(el))].sort((a, b) => b - a);
      const ratio = (hi! + 0.05) / (lo! + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) {
        failures.push(`${ratio.toFixed(2)} ${el.tagName} "${el.textContent!.trim().slice(0, 40)}"`);
      }
    }
    return failures;
  });
}

/** Buttons, fields and navigation links of the shown view smaller than 44 px in height. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        'button, input:not([type=radio]):not([type=checkbox]), select, nav a, a.button',
      ),
    ]
      .filter((el) => el.checkVisibility() && el.getBoundingClientRect().height < 43.5)
      .map((el) => `${el.tagName} "${(el.textContent || el.getAttribute('aria-label') || '').trim()}"`),
  );
}

async function checkView(page: Page, name: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
  const unlabelled = await page.locator('input:not([type=hidden]), select, textarea').evaluateAll((els) =>
    els
      .filter((el) => {
        const input = el as HTMLInputElement;
        return !(
          input.labels?.length ||
          input.getAttribute('aria-label') ||
          input.getAttribute('aria-labelledby')
        );
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(unlabelled, `${name}: controls without a label`).toEqual([]);
  const unnamed = await page
    .locator('button')
    .evaluateAll(
      (els) => els.filter((el) => !(el.textContent?.trim() || el.getAttribute('aria-label'))).length,
    );
  expect(unnamed, `${name}: buttons without a name`).toBe(0);
  expect(await smallTargets(page), `${name}: targets under 44 px`).toEqual([]);
  expect(await lowContrast(page), `${name}: text with low contrast`).toEqual([]);
}

describe('the views', () => {
  it('the first-run screen of a fresh profile, on a phone and a desktop, light and dark', async () => {
    for (const size of ['phone', 'desktop'] as const) {
      const fresh = await world.userPage(SIZES[size]);
      await fresh.goto(world.devnet.appUrl);
      await firstRunScreen(fresh).waitFor({ timeout: 20_000 });
      for (const colorScheme of ['light', 'dark'] as const) {
        await fresh.emulateMedia({ colorScheme });
        await checkView(fresh, `first run on a ${size} in ${colorScheme}`);
        await picture(fresh, `first-run-${size}-${colorScheme}.png`, size);
      }
      await fresh.close();
    }
  }, 60_000);

  for (const size of ['phone', 'desktop'] as const) {
    it(`${size}: every view in light and dark is readable, labelled, big enough to tap, and saved`, async () => {
      const page = size === 'phone' ? phone : desktop;
      // The contrast check finds grey on white (so its passing below means something).
      await page.evaluate(() => {
        const probe = document.createElement('p');
        probe.id = 'contrast-probe';
        probe.textContent = 'grey probe';
        probe.style.color = 'rgb(170, 170, 170)';
        probe.style.background = 'rgb(255, 255, 255)';
        document.querySelector('main')!.append(probe);
      });
      expect((await lowContrast(page)).join('\n')).toContain('grey probe');
      await page.evaluate(() => document.getElementById('contrast-probe')!.remove());
      for (const view of VIEWS) {
        await showView(page, view);
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          await checkView(page, `${view} on a ${size} in ${colorScheme}`);
          await picture(page, `${view.toLowerCase()}-${size}-${colorScheme}.png`, size);
        }
        await page.emulateMedia({ colorScheme: 'light' });
      }
      // The review of a payment, with its cost in words.
      await showView(page, 'Send');
      await page.getByLabel('Recipient address').fill(addresses.get(page)!);
      await page.getByLabel('Amount').fill('5');
      await page.getByLabel(/^Memo/).fill('coffee');
      await page.getByRole('button', { name: 'Review payment' }).click();
      await page.getByTestId('send-review-panel').waitFor();
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await checkView(page, `review on a ${size} in ${colorScheme}`);
        await picture(page, `review-${size}-${colorScheme}.png`, size);
      }
      await page.emulateMedia({ colorScheme: 'light' });
      // The confirmation, in words: how much, to whom, and the payment's status word.
      await page.getByRole('button', { name: 'Sign and send' }).click();
      await page.getByTestId('send-outcome-status').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('send-outcome').textContent()).toMatch(/^\s*Sent 5 tokens to ttx1/);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await checkView(page, `sent on a ${size} in ${colorScheme}`);
        await picture(page, `sent-${size}-${colorScheme}.png`, size);
      }
      await page.emulateMedia({ colorScheme: 'light' });

      // The detail of the payment, over the Activity view.
      await showView(page, 'Activity');
      const entry = page.locator('[data-testid=history-entry]').filter({ hasText: MEMO });
      await entry.getByRole('button', { name: /^Details/ }).click();
      await page.getByTestId('detail-money').first().waitFor();
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        expect(await lowContrast(page), `detail on a ${size} in ${colorScheme}`).toEqual([]);
        await page.screenshot({ path: join(SCREENS, `detail-${size}-${colorScheme}.png`) });
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await page.keyboard.press('Escape');
      expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
    }, 120_000);
  }

  it('says in words what was minted: the receiver sees the sender’s proof of work, the sender its own', async () => {
    const received = phone.locator('[data-testid=history-entry]').filter({ hasText: MEMO });
    expect(await received.getByTestId('history-money').textContent()).toMatch(
      /^\+\d+ tokens? minted by the sender's proof of work$/,
    );
    const sent = desktop.locator('[data-testid=history-entry]').filter({ hasText: MEMO });
    expect(await sent.getByTestId('history-money').textContent()).toMatch(
      /^your proof of work minted \d+ tokens? more for the recipient$/,
    );
    // The faucet's payment: its extra tokens are explained as the faucet's proof of work, where it minted any.
    const faucetStatus = await desktop.getByTestId('faucet-status').textContent();
    expect(faucetStatus).toMatch(
      /^The faucet sent you [\d,.\s]+ tokens(, \+[\d,.\s]+ tokens? minted by the faucet's proof of work)?\.$/,
    );
  }, 30_000);
});

describe('keyboard and address bar', () => {
  /** Presses Tab until the focus is on an element matching `selector` (at most 80 presses). */
  async function tabTo(page: Page, selector: string): Promise<void> {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  for (const size of ['phone', 'desktop'] as const) {
    it(`${size}: Tab and Enter reach every view and the send form; the URL names the view; back goes back`, async () => {
      const page = size === 'phone' ? phone : desktop;
      await showView(page, 'Home');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      for (const view of ['activity', 'accounts', 'network', 'home'] as const) {
        await tabTo(page, `nav [data-testid=nav-${view}]`);
        await page.keyboard.press('Enter');
        await page.locator(`[data-view=${view}]`).waitFor();
        expect(new URL(page.url()).hash).toBe(view === 'home' ? '#/' : `#/${view}`);
        // The focus moved to the view's heading, so the next Tab starts in the view.
        expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
      }
      // Send and Receive: Home's buttons (the phone's bar has no room for them).
      for (const view of ['receive', 'send'] as const) {
        if (view === 'send') await page.goBack();
        await page.locator('[data-view=home]').waitFor();
        await tabTo(page, `[data-view=home] a[href="#/${view}"]`);
        await page.keyboard.press('Enter');
        await page.locator(`[data-view=${view}]`).waitFor();
      }
      await tabTo(page, '[data-testid=send-to]');
      await tabTo(page, '[data-testid=send-memo]');
      // The back button walks the views back.
      await page.goBack();
      await page.locator('[data-view=home]').waitFor();
      expect(new URL(page.url()).hash).toBe('#/');
      await page.goForward();
      await page.locator('[data-view=send]').waitFor();
      // A reload stays on the view.
      await page.reload();
      await page.locator('[data-view=send]').waitFor({ timeout: 20000 });
      expect(await page.locator('[data-view=home]').isVisible()).toBe(false);
    }, 60_000);
  }
});

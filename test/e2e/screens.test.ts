// The main screens as a person sees them, on a phone-sized and a desktop-sized window: saved as PNG
// artifacts under test-results/screens/ to be looked at, and checked for what can be checked by a
// machine: every form control has a label, every button a name, the controls are reachable by Tab,
// and body text has readable contrast (WCAG AA, 4.5:1).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNode, pay, takeFaucetTokens, waitForEntry, waitForPeers } from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';

const SCREENS = join(import.meta.dirname, '../../test-results/screens');
let world: E2eDevnet;

beforeAll(async () => {
  world = await startE2eDevnet();
  await mkdir(SCREENS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await world?.close();
});

/** Relative luminance contrast of an element's text against the nearest opaque background. */
function contrastOf(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const el = document.querySelector(sel)!;
    const fg = parse(getComputedStyle(el).color);
    let node: Element | null = el;
    let bg = [255, 255, 255];
    while (node) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3]! > 0.9)) {
        bg = c;
        break;
      }
      node = node.parentElement;
    }
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return (hi! + 0.05) / (lo! + 0.05);
  }, selector);
}

describe('main screens', () => {
  it('wallet with a payment, on a phone and on a desktop: labelled, reachable, readable', async () => {
    const desktop = await world.userPage({ width: 1280, height: 900 });
    const phone = await world.userPage({ width: 390, height: 844 });
    await openNode(desktop, world.devnet.appUrl);
    const phoneAddress = await openNode(phone, world.devnet.appUrl);
    await takeFaucetTokens(desktop);
    await Promise.all([waitForPeers(desktop), waitForPeers(phone)]);
    await pay(desktop, phoneAddress, 250, 'lunch on Friday');
    await waitForEntry(phone, 'lunch on Friday', 'accepted');

    for (const [name, page] of [
      ['desktop', desktop],
      ['phone', phone],
    ] as const) {
      await page.screenshot({ path: join(SCREENS, `wallet-${name}.png`), fullPage: true });
      // Nothing may overflow sideways on a phone.
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
      expect(await contrastOf(page, 'h1')).toBeGreaterThanOrEqual(4.5);
      expect(await contrastOf(page, '[data-testid=balance-spendable]')).toBeGreaterThanOrEqual(4.5);
    }

    // Keyboard: Tab from the top reaches the recipient field and the review button.
    const reached = new Set<string>();
    await desktop.keyboard.press('Tab');
    for (let i = 0; i < 60; i++) {
      const label = await desktop.evaluate(
        () =>
          document.activeElement?.getAttribute('data-testid') ??
          document.activeElement?.textContent?.trim() ??
          '',
      );
      reached.add(label);
      await desktop.keyboard.press('Tab');
    }
    expect(reached.has('send-to')).toBe(true);
    expect(reached.has('send-memo')).toBe(true);
  }, 120_000);
});

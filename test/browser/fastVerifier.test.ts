// The fast strict verifier in real Chromium: its WebCrypto Ed25519 is there, and behind the strict rules
// it gives the strict verdict (PROTOCOL §4) on every ed25519-speccheck case and every crafted case,
// including the forgery WebCrypto alone accepts.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';
import { pageApi } from './pageApi.ts';
import type { FastVerifierPageApi } from './pages/fastVerifier.ts';

let vite: ViteHarness;
let browser: Browser;

beforeAll(async () => {
  [vite, browser] = await Promise.all([startViteHarness(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

describe('the fast strict verifier in Chromium', () => {
  it('gives the strict verdict on every case', async () => {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${vite.origin}/test/browser/pages/fastVerifier.html`);
    await page.waitForFunction(() => 'fastVerifierTest' in window);
    const { hasWebCrypto, answers } = await pageApi<FastVerifierPageApi>(page, 'fastVerifierTest').run();
    expect(hasWebCrypto).toBe(true);
    expect(answers).toHaveLength(15);
    for (const answer of answers) {
      expect(answer.fast, answer.name).toBe(answer.expectedStrict);
      if (answer.expectedWebCrypto !== undefined) {
        expect(answer.webCrypto, answer.name).toBe(answer.expectedWebCrypto);
      }
    }
    // The forgery of the identity key passes WebCrypto alone: the strict rules are what stop it.
    expect(answers.find((a) => a.name.startsWith('identity key'))).toMatchObject({
      webCrypto: true,
      fast: false,
    });
    expect(errors).toEqual([]);
  });
});

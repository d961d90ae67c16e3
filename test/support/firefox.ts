// Real Firefox for browser tests: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi (the
// only protocol Firefox speaks to a driver now; playwright-core's Firefox needs a patched build). One
// launch is one person: puppeteer gives each launch a fresh temporary profile, removed on close.
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/**
 * Prefs for a browser whose WebRTC connects to peers on loopback without asking anyone: Firefox drops
 * loopback candidates and hides host addresses behind mDNS names by default (needed where 127.0.0.1 is
 * the only address; in scripts/loopbackOnly.sh's namespace, which also has a 198.51.100.1 link, Firefox
 * 153 found its peer without them), and without the media prefs a page that asks for a camera (the Send
 * form's scan) would wait on a permission prompt.
 */
export const FIREFOX_PREFS = {
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.peerconnection.ice.no_host': false,
  'media.navigator.permission.disabled': true,
  'media.navigator.streams.fake': true,
  // Quiet: no background traffic that would leave loopback.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'app.update.enabled': false,
} as const;

/** A desktop window, so the navigation shows every view's link (a phone's bar has no Send and Receive). */
const DESKTOP_VIEWPORT = { width: 1280, height: 800 };

export interface FirefoxPerson {
  readonly browser: Browser;
  readonly page: Page;
  /** Uncaught errors of the page, with their stacks. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS },
  });
}

/** A person with a Firefox of their own (its own profile, so its own storage) and one page, not yet navigated. */
export async function firefoxPerson(): Promise<FirefoxPerson> {
  const browser = await launchFirefox();
  const page = await browser.newPage();
  await page.setViewport(DESKTOP_VIEWPORT);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) =>
    pageErrors.push(err instanceof Error ? `${err.message}\n${err.stack}` : String(err)),
  );
  return { browser, page, pageErrors, close: () => browser.close() };
}

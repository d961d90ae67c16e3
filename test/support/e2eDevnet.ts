// The world of an end-to-end test file: the app built from the current sources, a devnet server on
// loopback (tracker, faucet, app) with a data folder of its own, and Chromium. Users are isolated
// contexts with the permissions WebRTC needs; every page's uncaught errors are collected.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDevnet, type DevnetOptions, type RunningDevnet } from '../../server/startDevnet.ts';
import { buildApp } from './buildApp.ts';
import { launchChromium, newPeerContext } from './chromium.ts';

export interface E2eDevnet {
  readonly devnet: RunningDevnet;
  readonly browser: Browser;
  /** The app server's origin, e.g. http://127.0.0.1:40123. */
  readonly origin: string;
  /** Uncaught errors of every page opened through userPage, with their stacks. */
  readonly pageErrors: string[];
  /** A new user: an isolated context and a page in it (not yet navigated). */
  userPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * `options` adjust the devnet (limits, say); its ports, folders and log are the fixture's. `node`: run the
 * devnet's own full node too (as `npm start` does); off unless asked.
 */
export async function startE2eDevnet(options: DevnetOptions = {}): Promise<E2eDevnet> {
  const [distDir, dataDir] = await Promise.all([buildApp(), mkdtemp(join(tmpdir(), 'torrenttx-devnet-'))]);
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const [devnet, browser] = await Promise.all([
    startDevnet({ node: false, ...options, port: 0, trackerPort: 0, dataDir, distDir, log: () => {} }),
    launchChromium(),
  ]);
  const origin = new URL(devnet.appUrl).origin;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    devnet,
    browser,
    origin,
    pageErrors,
    async userPage(viewport) {
      const context = await newPeerContext(browser, origin);
      contexts.push(context);
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      page.on('pageerror', (err) => pageErrors.push(`${err.message}\n${err.stack ?? ''}`));
      return page;
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await devnet.close();
    },
  };
}

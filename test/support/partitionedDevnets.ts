// A network split in two for end-to-end tests: two devnets of one genesis (the second's data folder is a
// copy of the first's genesis), each with its own tracker and app server, so pages opened from one never
// meet pages opened from the other. Both networks' configs also name a third tracker that is not running
// yet: starting it (join()) lets every page announce there (each node re-announces to a tracker that comes
// back within seconds, src/net/trackerReconnect.ts) and the two halves connect.
import { createServer } from 'node:net';
import { cp, mkdtemp } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SECRET_KEY_FILE } from '../../server/devnet.ts';
import { startDevnet, type RunningDevnet } from '../../server/startDevnet.ts';
import { buildApp } from './buildApp.ts';
import { launchChromium, newPeerContext } from './chromium.ts';
import { startTestTracker, type TestTracker } from './tracker.ts';

export interface PartitionedDevnets {
  readonly left: RunningDevnet;
  readonly right: RunningDevnet;
  readonly browser: Browser;
  /** Uncaught errors of every page opened through userPage, with their stacks. */
  readonly pageErrors: string[];
  /** A new user (its own context: storage and profile) with a page on `half`'s app (not yet navigated). */
  userPage(half: RunningDevnet): Promise<Page>;
  /** Starts the shared tracker both halves' configs name. */
  join(): Promise<void>;
  close(): Promise<void>;
}

/** A port nobody listens on now (the OS's pick): the shared tracker's, started later. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function startPartitionedDevnets(): Promise<PartitionedDevnets> {
  const [distDir, leftDir, rightDir, joinPort, browser] = await Promise.all([
    buildApp(),
    tempDir('torrenttx-left-'),
    tempDir('torrenttx-right-'),
    freePort(),
    launchChromium(),
  ]);
  const shared = `ws://127.0.0.1:${joinPort}`;
  const options = { node: false, port: 0, trackerPort: 0, distDir, log: () => {}, moreTrackers: [shared] };
  const left = await startDevnet({ ...options, dataDir: leftDir });
  // The same genesis (and its key) on the other side: one network, two swarms until they join.
  await cp(join(leftDir, 'genesis'), join(rightDir, 'genesis'), { recursive: true });
  await cp(join(leftDir, SECRET_KEY_FILE), join(rightDir, SECRET_KEY_FILE));
  const right = await startDevnet({ ...options, dataDir: rightDir });
  if (right.devnet.genesis.id !== left.devnet.genesis.id)
    throw new Error('the halves have different genesis');

  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let joined: TestTracker | undefined;
  return {
    left,
    right,
    browser,
    pageErrors,
    async userPage(half) {
      const context = await newPeerContext(browser, new URL(half.appUrl).origin);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(`${err.message}\n${err.stack ?? ''}`));
      return page;
    },
    async join() {
      joined = await startTestTracker(joinPort);
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await Promise.all([left.close(), right.close()]);
      await joined?.close();
    },
  };
}

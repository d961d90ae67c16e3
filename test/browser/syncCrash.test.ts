// Crash consistency of a tab's ledger mid-sync, in real Chromium with real IndexedDB: a Node peer holds a
// generated DAG of thousands of transactions; a tab running the real node (startNode: both workers, the
// WebRTC bridge) joins it through a loopback tracker and is closed abruptly part-way through the sync.
// What it stored must be a consistent ledger (test/support/storedLedgerProblems.ts: every stored tx's
// ancestors stored, statuses and balances equal to a replay through the core ledger); a new tab of the
// same profile then opens it and finishes the sync, consistent again.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Connect } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkConfig } from '../../src/core/network.ts';
import type { SyncNodeApi } from '../../bench/pages/syncNode.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoredLedger, type StoredLedger } from '../support/appPage.ts';
import { launchKillableChromium } from '../support/killableChromium.ts';
import { launchChromium, newPeerContext } from '../support/chromium.ts';
import { dagNetwork, storeHolding } from '../support/dagNetwork.ts';
import { startNodePeer, type NodePeer } from '../support/nodePeer.ts';
import { countWithStatus, storedLedgerProblems } from '../support/storedLedgerProblems.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';
import { pageApi, type PageApi } from './pageApi.ts';

const SIZE = 4000;
/** The tab is closed once it has accepted this many (of SIZE, the genesis included). */
const CLOSE_AFTER = 600;
const { network, txs } = dagNetwork(SIZE);
const genesisId = network.genesis.id;

let tracker: TestTracker;
let peer: NodePeer;
let vite: ViteHarness;
let browser: Browser;
let context: BrowserContext;
const pageErrors: string[] = [];

beforeAll(async () => {
  tracker = await startTestTracker();
  peer = await startNodePeer(network, tracker.wsUrl, { store: await storeHolding(network, txs) });
  const config: NetworkConfig = {
    name: 'crash test',
    genesisId,
    genesisTx: new TextDecoder().decode(network.genesis.bytes),
    powUnit: 1,
    trackers: [tracker.wsUrl],
    faucet: null,
  };
  const serveConfig: Connect.NextHandleFunction = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(config));
  };
  [vite, browser] = await Promise.all([
    startViteHarness({
      plugins: [
        {
          name: 'crash-network',
          configureServer: (s) => void s.middlewares.use('/network.json', serveConfig),
        },
      ],
    }),
    launchChromium(),
  ]);
  context = await newPeerContext(browser, vite.origin);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  await peer?.close();
  await tracker?.close();
});

/** A tab of the profile on the node page (not started until asked). */
async function nodeTab(profile = context): Promise<{ page: Page; tab: PageApi<SyncNodeApi> }> {
  const page = await profile.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${err.message}\n${err.stack ?? ''}`));
  await page.goto(`${vite.origin}/bench/pages/syncNode.html`);
  await page.waitForFunction(() => 'syncNode' in window);
  return { page, tab: pageApi<SyncNodeApi>(page, 'syncNode') };
}

/** Waits, reading the tab's ledger counts as they change, until `done` holds for its accepted count. */
async function acceptedUntil(
  tab: PageApi<SyncNodeApi>,
  done: (accepted: number) => boolean,
): Promise<number> {
  let accepted = 0;
  await expect
    .poll(async () => done((accepted = (await tab.progress()).accepted)), { timeout: 120_000, interval: 20 })
    .toBe(true);
  return accepted;
}

/** The ledger the profile stored, read from a page of it that runs no node. */
async function storedIn(profile: BrowserContext): Promise<StoredLedger> {
  const reader = await profile.newPage();
  await reader.goto(`${vite.origin}/bench/pages/syncNode.html`);
  const stored = await readStoredLedger(reader, genesisId);
  await reader.close();
  return stored;
}

describe('a tab closed mid-sync', () => {
  let storedBefore = 0;

  it(`stores a consistent part of the ${SIZE} transactions when closed abruptly part-way`, async () => {
    const { page, tab } = await nodeTab();
    await tab.start();
    const seen = await acceptedUntil(tab, (accepted) => accepted >= CLOSE_AFTER);
    await page.close({ runBeforeUnload: false });
    const stored = await storedIn(context);
    storedBefore = countWithStatus(stored, 'accepted');
    console.log(
      `closed at ${seen} accepted; ${storedBefore} accepted and ${stored.bytes.length} records stored`,
    );
    // It really was mid-way, and nothing the tab showed was lost: the ledger decides ahead of its writes
    // (up to the batches the gossip has with it at once), but the count it shows is of what is written.
    expect(storedBefore).toBeGreaterThanOrEqual(seen);
    expect(storedBefore).toBeLessThan(SIZE);
    expect(await storedLedgerProblems(stored, network.params)).toEqual([]);
  }, 180_000);

  it('reopens in a new tab with what was stored, finishes the sync, and is consistent again', async () => {
    const { page, tab } = await nodeTab();
    await tab.start();
    expect((await tab.progress()).accepted).toBeGreaterThanOrEqual(storedBefore);
    await acceptedUntil(tab, (accepted) => accepted === SIZE);
    await page.close();
    const stored = await storedIn(context);
    expect(countWithStatus(stored, 'accepted')).toBe(SIZE);
    expect(await storedLedgerProblems(stored, network.params)).toEqual([]);
    expect(peer.misbehaviour).toEqual([]);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 180_000);
});

describe('the browser killed mid-sync', () => {
  it('reopens the profile with a consistent ledger, then finishes the sync', async () => {
    const profileDir = await mkdtemp(join(tmpdir(), 'torrenttx-killed-profile-'));
    try {
      let chromium = await launchKillableChromium(profileDir, vite.origin);
      const { tab } = await nodeTab(chromium.context);
      await tab.start();
      const seen = await acceptedUntil(tab, (accepted) => accepted >= CLOSE_AFTER);
      await chromium.kill();
      chromium = await launchKillableChromium(profileDir, vite.origin);
      try {
        const stored = await storedIn(chromium.context);
        const accepted = countWithStatus(stored, 'accepted');
        console.log(`killed at ${seen} accepted shown; ${accepted} accepted stored`);
        expect(accepted).toBeGreaterThan(1);
        // What the tab showed was written: the count it shows is of what IndexedDB has committed.
        expect(accepted).toBeGreaterThanOrEqual(seen);
        expect(accepted).toBeLessThan(SIZE);
        expect(await storedLedgerProblems(stored, network.params)).toEqual([]);
        const again = await nodeTab(chromium.context);
        await again.tab.start();
        await acceptedUntil(again.tab, (n) => n === SIZE);
        await again.page.close();
        const finished = await storedIn(chromium.context);
        expect(countWithStatus(finished, 'accepted')).toBe(SIZE);
        expect(await storedLedgerProblems(finished, network.params)).toEqual([]);
      } finally {
        await chromium.kill();
      }
    } finally {
      await rm(profileDir, { recursive: true, force: true });
    }
  }, 240_000);
});

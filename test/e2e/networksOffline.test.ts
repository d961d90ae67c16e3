// Networks and offline, end to end on the real devnet (tracker, faucet, app) in this process, with real
// Chromium users (isolated contexts), the real service worker, real IndexedDB and real WebRTC:
// - the manifest and service worker meet the install criteria, and the worker controls the page;
// - after one visit the app starts with the network cut off and shows the stored wallet and the notice;
// - a payment made while its recipient is away (no peers) is kept and reaches the recipient later;
// - A creates a network, B joins it from A's invite link, and switching back keeps each ledger;
// - an invite link that does not check out shows why and saves nothing.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDevnet, type RunningDevnet } from '../../server/startDevnet.ts';
import { txIdOf } from '../../src/core/txId.ts';
import {
  openNode,
  pay,
  readStoredLedger,
  spendable,
  takeFaucetTokens,
  waitForEntry,
} from '../support/appPage.ts';
import { buildApp } from '../support/buildApp.ts';
import { launchChromium, newPeerContext } from '../support/chromium.ts';
import { OfflineSwitch } from '../support/offlineSwitch.ts';

const OFFLINE_TEXT =
  'Offline — showing your wallet as stored on this device; payments you make are kept and sent when peers are back';
const AWAY_MEMO = 'paid while you were away';
const OFFLINE_MEMO = 'paid while offline';

let devnet: RunningDevnet;
let browser: Browser;
let origin: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
/** Each context's network switch; afterEach turns every one back on, so one failure cannot cascade. */
const switches = new Map<BrowserContext, OfflineSwitch>();

function networkOf(context: BrowserContext): OfflineSwitch {
  let switched = switches.get(context);
  if (!switched) switches.set(context, (switched = new OfflineSwitch(context)));
  return switched;
}

async function userContext(): Promise<BrowserContext> {
  const context = await newPeerContext(browser, origin);
  contexts.push(context);
  return context;
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${err.message}\n${err.stack ?? ''}`));
  if (process.env.DEBUG_PAGES) page.on('console', (m) => console.log(`[page] ${m.type()} ${m.text()}`));
  return page;
}

/** Waits until the service worker is active (its precache complete) for the page's scope. */
async function serviceWorkerReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}

async function activeGenesis(page: Page): Promise<string> {
  return (await page.getByTestId('active-genesis').getAttribute('data-genesis-id'))!;
}

async function waitForGenesis(page: Page, genesisId: string): Promise<void> {
  await page.waitForFunction(
    (id) => document.querySelector('[data-testid=active-genesis]')?.getAttribute('data-genesis-id') === id,
    genesisId,
    { timeout: 20000 },
  );
}

async function peerCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('peer-count').textContent());
}

/** The genesis ids this device has saved as known networks (straight from IndexedDB). */
async function savedNetworkIds(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('torrenttx-networks');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
      const request = db.transaction('networks').objectStore('networks').getAllKeys();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return keys.map(String);
  });
}

function inviteOf(config: object): string {
  return `${devnet.appUrl}#join=${Buffer.from(JSON.stringify(config)).toString('base64url')}`;
}

function configOfInvite(link: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(link.split('#join=')[1]!, 'base64url').toString('utf8'));
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

beforeAll(async () => {
  const [distDir, dataDir] = await Promise.all([buildApp(), mkdtemp(join(tmpdir(), 'torrenttx-devnet-'))]);
  [devnet, browser] = await Promise.all([
    startDevnet({ port: 0, trackerPort: 0, dataDir, distDir, log: () => {} }),
    launchChromium(),
  ]);
  origin = new URL(devnet.appUrl).origin;
}, 90_000);

afterEach(async () => {
  for (const switched of switches.values()) await switched.goOnline();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await devnet?.close();
});

describe('networks and offline', () => {
  let aContext: BrowserContext;
  let bContext: BrowserContext;
  let a: Page;
  let aAddress: string;
  let bAddress: string;
  let faucetEntryId: string;

  it('the manifest is linked and installable, its icons load, and the service worker controls the page', async () => {
    const context = await userContext();
    const page = await newPage(context);
    await openNode(page, devnet.appUrl);
    const href = await page.locator('link[rel=manifest]').getAttribute('href');
    expect(href).toBeTruthy();
    const manifestUrl = new URL(href!, devnet.appUrl);
    const answer = await context.request.get(manifestUrl.href);
    expect(answer.status()).toBe(200);
    const manifest = (await answer.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      scope: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest.name).toBe('TorrentTX');
    expect(manifest.short_name).toBeTruthy();
    expect(manifest.display).toBe('standalone');
    expect(new URL(manifest.start_url, manifestUrl).href).toBe(devnet.appUrl);
    const icons = new Map<string, string>();
    for (const icon of manifest.icons) {
      const file = await context.request.get(new URL(icon.src, manifestUrl).href);
      expect(file.status(), icon.src).toBe(200);
      expect(file.headers()['content-type']).toBe('image/png');
      // The size it claims is the size it has.
      expect(pngSize(await file.body())).toBe(icon.sizes);
      icons.set(`${icon.sizes} ${icon.purpose ?? 'any'}`, icon.src);
    }
    expect([...icons.keys()]).toEqual(
      expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']),
    );

    await serviceWorkerReady(page);
    const reloaded = await page.reload();
    await page.getByTestId('address').waitFor();
    // The shell came from the service worker's precache: it has a fetch handler that answers.
    expect(reloaded?.fromServiceWorker()).toBe(true);
    const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);
    expect(controller).toBe(new URL('sw.js', devnet.appUrl).href);
    // /network.json is never answered by the service worker (no stale network config while online).
    const fresh = page.waitForResponse((response) => response.url().endsWith('/network.json'));
    await page.evaluate(() => fetch('/network.json', { cache: 'no-cache' }));
    expect((await fresh).fromServiceWorker()).toBe(false);
    // Chromium's own verdict on installability (the manifest, its icons, the service worker).
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    // Playwright's contexts are off-the-record profiles, where Chromium never offers to install;
    // that is the one objection allowed here.
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    await context.close();
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 60_000);

  it('after a first visit, the app starts offline with the stored wallet, history and the offline notice', async () => {
    aContext = await userContext();
    a = await newPage(aContext);
    aAddress = await openNode(a, devnet.appUrl);
    await takeFaucetTokens(a);
    faucetEntryId = (await a.getByTestId('history-entry').first().getAttribute('data-id'))!;
    const balance = await spendable(a);
    await serviceWorkerReady(a);
    // The devnet's genesis is the network this device starts on, and is saved for offline starts.
    expect(await activeGenesis(a)).toBe(devnet.network.genesisId);

    await networkOf(aContext).goOffline();
    const reloaded = await a.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    expect(await a.evaluate(() => navigator.onLine)).toBe(false);
    await a.getByTestId('address').waitFor({ timeout: 20000 });
    expect((await a.getByTestId('address').textContent())!.trim()).toBe(aAddress);
    expect(await spendable(a)).toBe(balance);
    await a.locator(`[data-testid=history-entry][data-id="${faucetEntryId}"]`).waitFor();
    expect(await activeGenesis(a)).toBe(devnet.network.genesisId);
    const notice = a.getByTestId('offline-notice');
    await notice.waitFor();
    expect(await notice.getAttribute('data-state')).toBe('offline');
    expect((await notice.textContent())!.replace(/\s+/g, ' ')).toContain(OFFLINE_TEXT);
    // The server really is out of reach from this page.
    expect(
      await a.evaluate(() =>
        fetch('/network.json').then(
          () => 'reached',
          () => 'unreachable',
        ),
      ),
    ).toBe('unreachable');

    await networkOf(aContext).goOnline();
    await a.reload();
    await a.getByTestId('address').waitFor();
    expect(await a.getByTestId('offline-notice').count()).toBe(0);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 90_000);

  it('a page whose requests fail while the browser says it is online still shows the offline notice, and recovers', async () => {
    // What a Chromium build that drops the emulated offline state at a new document shows the app (and
    // what a dead network behind a live interface does): navigator.onLine true, every request failing.
    const failing = (route: Route) => route.abort('internetdisconnected');
    await a.route('**/network.json', failing);
    try {
      await a.reload();
      await a.getByTestId('address').waitFor({ timeout: 20000 });
      expect(await a.evaluate(() => navigator.onLine)).toBe(true);
      const notice = a.getByTestId('offline-notice');
      await notice.waitFor();
      expect(await notice.getAttribute('data-state')).toBe('offline');
    } finally {
      await a.unroute('**/network.json', failing);
    }
    // Requests get through again: the probe notices, the notice goes, and the node looks for peers.
    await a.getByTestId('offline-notice').waitFor({ state: 'detached', timeout: 20000 });
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 60_000);

  it('a payment made while its recipient is away (no peers) is kept, and reaches B when B comes back', async () => {
    bContext = await userContext();
    const b = await newPage(bContext);
    bAddress = await openNode(b, devnet.appUrl);
    await b.close(); // B is away; its wallet stays in its context's IndexedDB
    await a.waitForFunction(
      () => document.querySelector('[data-testid=peer-count]')?.textContent === '0',
      null,
      {
        timeout: 20000,
      },
    );

    expect(await pay(a, bAddress, 42, AWAY_MEMO)).toContain('accepted');
    const paymentId = await waitForEntry(a, AWAY_MEMO, 'accepted');
    expect(await peerCount(a)).toBe(0); // signed, stored and accepted with nobody to send it to

    const back = await newPage(bContext);
    await openNode(back, devnet.appUrl);
    // On connect A offers its whole inventory of accepted ids; B asks for what it lacks.
    expect(await waitForEntry(back, AWAY_MEMO, 'accepted', 60000)).toBe(paymentId);
    await back.close();
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 120_000);

  it('a payment made in an app started offline is kept, and reaches B soon after the browser is back online', async () => {
    await networkOf(aContext).goOffline();
    const notice = a.getByTestId('offline-notice');
    await notice.waitFor(); // the page hears the browser go offline
    expect(await notice.getAttribute('data-state')).toBe('offline');
    // Started offline, the node's tracker connection fails and webtorrent would retry only after a
    // random back-off of up to minutes; the node restarts its network worker when the browser is back.
    await a.reload();
    await a.getByTestId('address').waitFor();
    await notice.waitFor();
    expect(await pay(a, bAddress, 7, OFFLINE_MEMO)).toContain('accepted');
    const paymentId = await waitForEntry(a, OFFLINE_MEMO, 'accepted');

    await networkOf(aContext).goOnline();
    await notice.waitFor({ state: 'detached' });
    const back = await newPage(bContext);
    await openNode(back, devnet.appUrl);
    expect(await waitForEntry(back, OFFLINE_MEMO, 'accepted', 30000)).toBe(paymentId);
    await back.close();
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 90_000);

  let created: { genesisId: string; link: string };

  it('A creates a network, B joins it from the invite link; switching A back keeps its devnet history', async () => {
    await a.getByText('Create a network').click();
    await a.getByLabel('Network name').fill('Friends of A');
    await a.getByRole('button', { name: 'Create network' }).click();
    const made = a.getByTestId('created-network');
    await made.waitFor({ timeout: 20000 });
    created = {
      genesisId: (await made.getAttribute('data-genesis-id'))!,
      link: await a.getByTestId('created-invite-link').inputValue(),
    };
    const config = configOfInvite(created.link);
    expect(config).toMatchObject({
      name: 'Friends of A',
      genesisId: created.genesisId,
      powUnit: 1,
      faucet: null,
    });
    expect(config.trackers).toEqual(devnet.network.trackers);
    const genesis = JSON.parse(config.genesisTx as string);
    expect(genesis).toMatchObject({ tokens: 10 ** 12, to: aAddress, prev: null });
    expect(txIdOf(Buffer.from(config.genesisTx as string))).toBe(created.genesisId);

    const b = await newPage(bContext);
    await b.goto(created.link);
    const prompt = b.getByTestId('join-prompt');
    await prompt.waitFor({ timeout: 20000 });
    expect(await b.getByTestId('join-name').textContent()).toBe('Friends of A');
    expect(await b.getByTestId('join-genesis-id').textContent()).toBe(created.genesisId);
    // Nothing is saved before the person confirms.
    expect(await savedNetworkIds(b)).not.toContain(created.genesisId);
    await b.getByRole('button', { name: 'Join network' }).click();
    await waitForGenesis(b, created.genesisId);
    expect((await b.getByTestId('address').textContent())!.trim()).toBe(bAddress);
    expect(b.url()).not.toContain('#join=');

    await a.getByRole('button', { name: 'Switch to it' }).click();
    await waitForGenesis(a, created.genesisId);
    await a.waitForFunction(
      () =>
        document.querySelector('[data-testid=balance-spendable]')?.textContent?.trim() === '1000000000000',
      null,
      { timeout: 20000 },
    );
    expect(await a.getByTestId('history-entry').count()).toBe(1); // the genesis, and nothing of the devnet

    // Back to the devnet: its ledger was kept in its own database.
    await a.getByTestId('network-picker').selectOption(devnet.network.genesisId);
    await a.getByRole('button', { name: 'Switch' }).click();
    await waitForGenesis(a, devnet.network.genesisId);
    await a.locator(`[data-testid=history-entry][data-id="${faucetEntryId}"]`).waitFor({ timeout: 20000 });
    await waitForEntry(a, AWAY_MEMO, 'accepted');
    const databases = await a.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(databases).toEqual(
      expect.arrayContaining([
        `torrenttx-ledger-${devnet.network.genesisId}`,
        `torrenttx-ledger-${created.genesisId}`,
      ]),
    );
    const devnetLedger = await readStoredLedger(a, devnet.network.genesisId);
    expect(devnetLedger.bytes.map((text) => txIdOf(Buffer.from(text, 'base64')))).toContain(faucetEntryId);
    await b.close();
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 120_000);

  it('a tampered invite link, or one whose "genesis" has a parent, shows why and saves nothing', async () => {
    const context = await userContext();
    const page = await newPage(context);
    await openNode(page, devnet.appUrl);
    const before = await savedNetworkIds(page);

    const config = configOfInvite(created.link);
    const tampered = inviteOf({
      ...config,
      genesisTx: (config.genesisTx as string).replace('"tokens":1000000000000', '"tokens":9000000000000'),
    });
    await page.goto(tampered);
    const error = page.getByTestId('join-error');
    await error.waitFor({ timeout: 20000 });
    expect(await error.textContent()).toContain('does not add up');
    expect(await error.textContent()).toContain(created.genesisId);
    expect(await page.getByTestId('join-prompt').count()).toBe(0);
    expect(await savedNetworkIds(page)).toEqual(before);

    // A real transaction whose id matches, but not a genesis: the faucet payment A received.
    const stored = await readStoredLedger(a, devnet.network.genesisId);
    const payment = stored.bytes
      .map((text) => Buffer.from(text, 'base64'))
      .find((bytes) => txIdOf(bytes) === faucetEntryId)!;
    await page.goto(
      inviteOf({ ...config, genesisId: faucetEntryId, genesisTx: payment.toString('utf8'), name: 'not one' }),
    );
    await page.reload(); // only the fragment changed: the page must read it on load as well
    await error.waitFor({ timeout: 20000 });
    expect(await error.textContent()).toContain('is not a genesis');
    expect(await savedNetworkIds(page)).toEqual(before);
    expect(await activeGenesis(page)).toBe(devnet.network.genesisId);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 60_000);
});

// The faucet's refusals and the node's tracker connection as a person sees them, in real Chromium on the
// real devnet: a rate-limited faucet and an unreachable one each read as one sentence (never "Failed to
// fetch"), and one asked while the browser is offline says so (not that the server is down); the Network
// panel shows the tracker reachable, then lost (one word: never "reachable" beside a lost announce) while
// it is down, then reachable again once the tracker is back on its port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_FAUCET_LIMITS } from '../../server/faucetRoute.ts';
import { startTracker, type Tracker } from '../../server/trackerServer.ts';
import { OFFLINE_FAUCET_TEXT } from '../../src/app/requestFaucet.ts';
import { openNode } from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';

let world: E2eDevnet;
let page: Page;
let restarted: Tracker | undefined;

beforeAll(async () => {
  world = await startE2eDevnet({
    faucetLimits: { ...DEFAULT_FAUCET_LIMITS, perAddress: { burst: 1, perMinute: 1 } },
  });
  page = await world.userPage();
  await openNode(page, world.origin);
}, 180_000);

afterAll(async () => {
  await world?.close();
  await restarted?.close();
});

const faucetStatus = () => page.getByTestId('faucet-status');
const announceState = () => page.locator('[data-testid=trackers] .tracker');

async function waitForAnnounce(state: string): Promise<void> {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid=trackers] .tracker')?.getAttribute('data-state') === s,
    state,
    { timeout: 30_000 },
  );
}

describe('faucet and tracker, as a person sees them', () => {
  it('says the faucet is rate-limited, and for how long', async () => {
    await page.getByRole('button', { name: 'Get devnet tokens' }).click();
    await expect
      .poll(async () => faucetStatus().textContent(), { timeout: 20_000 })
      .toMatch(/^The faucet sent you /);
    await page.getByRole('button', { name: 'Get devnet tokens' }).click();
    await expect
      .poll(async () => faucetStatus().textContent(), { timeout: 20_000 })
      .toMatch(
        /^The faucet is rate-limited: too many faucet requests for this address \(at most 1 a minute\)\. Try again in \d+ s\.$/,
      );
  });

  it('shows the node announced, reconnecting while the tracker is down, and announced again', async () => {
    await waitForAnnounce('reachable');
    expect(await announceState().textContent()).toMatch(/: reachable$/);
    const { port } = world.devnet.tracker;
    await world.devnet.tracker.close();
    await waitForAnnounce('lost');
    expect(await announceState().textContent()).toMatch(/: lost: reconnecting in \d+ s \(attempt \d+\)$/);
    await page.screenshot({ path: '/tmp/safety-network-panel-retrying.png', fullPage: true });
    restarted = await startTracker({
      host: '127.0.0.1',
      port,
      dataDir: world.devnet.devnet.dataDir,
      log: () => {},
    });
    await waitForAnnounce('reachable');
    expect(await page.getByTestId('pending-offers').textContent()).toMatch(/^\d+$/);
  });

  it('says the browser is offline, not that the server is down, when asked offline', async () => {
    await page.context().setOffline(true);
    try {
      await page.getByRole('button', { name: 'Get devnet tokens' }).click();
      await expect
        .poll(async () => faucetStatus().textContent(), { timeout: 20_000 })
        .toBe(OFFLINE_FAUCET_TEXT);
    } finally {
      await page.context().setOffline(false);
    }
  });

  it('says the faucet cannot be reached when the server is down', async () => {
    await world.devnet.close();
    await page.getByRole('button', { name: 'Get devnet tokens' }).click();
    await expect
      .poll(async () => faucetStatus().textContent(), { timeout: 20_000 })
      .toBe(
        'The faucet cannot be reached: the devnet server is not answering. Check that it is running, then try again.',
      );
    expect(world.pageErrors).toEqual([]);
  });
});

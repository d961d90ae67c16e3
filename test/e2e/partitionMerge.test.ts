// A double spend across a partition, end to end in real Chromium: four people (each an isolated context
// with its own storage), two on each of two devnets of one genesis, whose swarms do not meet. The genesis
// owner (the attacker, a Node node in each half) signs two payments of the same tokens, one to a person in
// each half; each half accepts its own. Then a tracker both halves name comes up and the halves connect:
// every page records the double spend, both recipients show the payment as disputed within 2 s of the
// first node's detection (printed), balances on each side follow what it saw first, and no page throws.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNode, readStoredLedger, showView, waitForPeers } from '../support/appPage.ts';
import { startNodePeer, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { startPartitionedDevnets, type PartitionedDevnets } from '../support/partitionedDevnets.ts';
import { pollFor } from '../support/pollFor.ts';
import { pay } from '../support/testNetwork.ts';
import type { RunningDevnet } from '../../server/startDevnet.ts';
import { DISPUTED_TEXT } from '../../src/ui/paymentStatus.ts';

/** Each payment takes 60% of the genesis output: together they overspend it (PROTOCOL §5.13). */
const SPENT = 600_000_000_000;

let world: PartitionedDevnets;
const started = performance.now();
/** Progress, for a run that times out. */
const step = (what: string) => console.log(`${((performance.now() - started) / 1000).toFixed(1)} s: ${what}`);
let pages: { a1: Page; a2: Page; b1: Page; b2: Page };
const address: Record<string, string> = {};

beforeAll(async () => {
  world = await startPartitionedDevnets();
  const { left, right } = world;
  const [a1, a2, b1, b2] = await Promise.all([
    world.userPage(left),
    world.userPage(left),
    world.userPage(right),
    world.userPage(right),
  ]);
  pages = { a1, a2, b1, b2 };
  for (const [name, page] of Object.entries(pages)) {
    address[name] = await openNode(page, (name.startsWith('a') ? left : right).appUrl);
  }
  step('four pages open');
  await Promise.all(Object.values(pages).map((page) => waitForPeers(page, 60_000)));
  step('each half connected');
}, 180_000);

afterAll(async () => {
  await world?.close();
});

/** The attacker in one half: a Node node on that half's tracker that pushes `tx` to the pages there. */
async function spendInHalf(half: RunningDevnet, to: string, time: number): Promise<{ id: string }> {
  const owner = half.devnet.owner;
  const network = { params: half.devnet.params, genesis: { ...half.devnet.genesis }, owner };
  const tx = pay(owner, { ...owner, address: to }, SPENT, half.devnet.genesis.id, time);
  let node: NodePeer | undefined;
  try {
    node = await startNodePeer(network, half.trackerUrls[0]!);
    const asking = setInterval(() => node!.node.lookForPeers(), 5000);
    try {
      await waitFor(
        'the attacker to meet both pages of its half',
        [node],
        () => node!.node.status().peers >= 2,
      );
    } finally {
      clearInterval(asking);
    }
    await node.send(tx);
    // Each page announces what it accepted to its source too (HAVE), which raises no event here: poll.
    await pollFor(
      'both pages of the half to accept the payment',
      () => node!.node.gossip.holders.count(tx.id) >= 2,
      30_000,
    );
  } finally {
    await node?.close();
  }
  return tx;
}

const balanceOf = async (page: Page, who: string) =>
  BigInt((await readStoredLedger(page, world.left.devnet.genesis.id)).balances[who] ?? '0');

/** Resolves with the time (ms, this process's clock) at which `check(arg)` first held in the page. */
async function whenTrue(
  page: Page,
  check: (arg: string | null) => boolean,
  arg: string | null,
): Promise<number> {
  await page.waitForFunction(check, arg, { timeout: 60_000, polling: 20 });
  return performance.now();
}

/** The network panel counts at least one double spend. */
const knowsConflict = (): boolean =>
  Number(document.querySelector<HTMLElement>('[data-testid=conflicts-known]')?.dataset.count ?? 0) > 0;
/** The history shows the payment `id` as disputed. */
const showsDisputed = (id: string | null): boolean =>
  document.querySelector<HTMLElement>(`[data-testid=history-entry][data-id="${id}"]`)?.dataset.state ===
  'disputed';

describe('a double spend across a partition', () => {
  it('after the halves connect, every node records it, both recipients show it disputed, balances stay first-seen', async () => {
    const now = Date.now();
    const [toAlice, toBob] = await Promise.all([
      spendInHalf(world.left, address.a1!, now),
      spendInHalf(world.right, address.b1!, now + 1),
    ]);
    for (const [page, id] of [
      [pages.a1, toAlice.id],
      [pages.b1, toBob.id],
    ] as const) {
      await page.waitForFunction(
        (wanted) =>
          document
            .querySelector(`[data-testid=history-entry][data-id="${wanted}"]`)
            ?.getAttribute('data-status') === 'accepted',
        id,
        { timeout: 20_000 },
      );
    }
    step('each half accepted its own spend');
    // Before the halves meet, nobody knows of a double spend.
    for (const page of Object.values(pages)) {
      expect(await page.getByTestId('conflicts-known').getAttribute('data-count')).toBe('0');
    }
    expect(
      await pages.a1
        .locator(`[data-testid=history-entry][data-id="${toAlice.id}"]`)
        .getAttribute('data-state'),
    ).not.toBe('disputed');

    const merge = performance.now();
    await world.join();
    step('shared tracker up');
    const recorded = Object.fromEntries(
      await Promise.all(
        Object.entries(pages).map(async ([name, page]) => [name, await whenTrue(page, knowsConflict, null)]),
      ),
    ) as Record<string, number>;
    const [aliceDisputed, bobDisputed] = await Promise.all([
      whenTrue(pages.a1, showsDisputed, toAlice.id),
      whenTrue(pages.b1, showsDisputed, toBob.id),
    ]);
    const first = Math.min(...Object.values(recorded));
    console.log(
      `shared tracker up → first node recorded the double spend: ${(first - merge).toFixed(0)} ms; then ` +
        Object.entries(recorded)
          .map(([name, at]) => `${name} +${(at - first).toFixed(0)} ms`)
          .join(', ') +
        `; recipients disputed: alice +${(aliceDisputed - first).toFixed(0)} ms, bob +${(bobDisputed - first).toFixed(0)} ms`,
    );
    expect(aliceDisputed - first).toBeLessThanOrEqual(2000);
    expect(bobDisputed - first).toBeLessThanOrEqual(2000);
    await expect
      .poll(() =>
        pages.a1
          .locator(`[data-testid=history-entry][data-id="${toAlice.id}"] [data-testid=history-disputed]`)
          .textContent(),
      )
      .toContain(DISPUTED_TEXT);

    // The detail says it too.
    await showView(pages.a1, 'Activity');
    await pages.a1
      .locator(`[data-testid=history-entry][data-id="${toAlice.id}"] [data-testid=history-details]`)
      .click();
    await expect
      .poll(() => pages.a1.getByTestId('detail-status').getAttribute('data-state'))
      .toBe('disputed');
    await pages.a1.keyboard.press('Escape');

    // First-seen stands on each side: the left half counts Alice's payment, the right half Bob's.
    for (const page of [pages.a1, pages.a2]) {
      await pollFor(
        'the left half to store both spends',
        async () => (await readStoredLedger(page, world.left.devnet.genesis.id)).bytes.length >= 3,
      );
      expect(await balanceOf(page, address.a1!)).toBeGreaterThanOrEqual(BigInt(SPENT));
      expect(await balanceOf(page, address.b1!)).toBe(0n);
    }
    for (const page of [pages.b1, pages.b2]) {
      expect(await balanceOf(page, address.b1!)).toBeGreaterThanOrEqual(BigInt(SPENT));
      expect(await balanceOf(page, address.a1!)).toBe(0n);
    }
    expect(
      await pages.b1
        .locator(`[data-testid=history-entry][data-id="${toBob.id}"]`)
        .getAttribute('data-status'),
    ).toBe('accepted');
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 180_000);
});

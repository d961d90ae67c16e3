// The browser node end to end, as people use it: the devnet server (tracker, faucet, app) on loopback,
// real Chromium with isolated contexts as separate users, real WebRTC between their network workers,
// real IndexedDB. A pays B; B sees it, keeps it across a reload, and its stored ledger replays to the
// same balances through the core; a stock WebTorrent client fetches the payment by infohash; a Node
// node in the same swarm sends B a child before its parent.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import type { RunningDevnet } from '../../server/startDevnet.ts';
import type { StockWebTorrentPageApi } from '../browser/pages/stockWebTorrent.ts';
import { pageApi } from '../browser/pageApi.ts';
import {
  nodeStarted,
  openNode,
  pay,
  readStoredLedger,
  spendable,
  takeFaucetTokens,
  waitForEntry,
  waitForPeers,
} from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';
import { newPeerContext } from '../support/chromium.ts';
import { startNodePeer, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { pay as signPayment, personNamed } from '../support/testNetwork.ts';
import { startViteHarness, type ViteHarness } from '../support/viteHarness.ts';

let world: E2eDevnet;
let devnet: RunningDevnet;
let vite: ViteHarness;
let a: Page;
let b: Page;
let bAddress: string;

beforeAll(async () => {
  [world, vite] = await Promise.all([startE2eDevnet(), startViteHarness()]);
  devnet = world.devnet;
  [a, b] = await Promise.all([world.userPage(), world.userPage()]);
  await openNode(a, devnet.appUrl);
  bAddress = await openNode(b, devnet.appUrl);
}, 90_000);

afterAll(async () => {
  await vite?.close();
  await world?.close();
});

describe('two browser users on one devnet', () => {
  let paymentId: string;

  it('A takes faucet tokens and pays B 123 with a memo; B shows it accepted', async () => {
    await takeFaucetTokens(a);
    await Promise.all([waitForPeers(a), waitForPeers(b)]);
    expect(await a.getByTestId('bridge-mode').getAttribute('data-mode')).toBe('transfer');
    const memo = 'thanks for the coffee <b>☕</b>';
    expect(await pay(a, bAddress, 123, memo)).toContain('accepted');
    paymentId = await waitForEntry(b, memo, 'accepted');
    expect(await spendable(b)).toBeGreaterThanOrEqual(123n);
    // The memo is peer text: it is shown as text, never parsed as HTML.
    expect(await b.locator('[data-testid=history-memo] b').count()).toBe(0);
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 60_000);

  it('B still shows it after a reload (IndexedDB), and its stored ledger replays to the same balances', async () => {
    await b.reload();
    await nodeStarted(b);
    await waitForEntry(b, 'thanks for the coffee <b>☕</b>', 'accepted');
    const stored = await readStoredLedger(b, devnet.network.genesisId);
    const store = new MemoryLedgerStore();
    const ledger = new Ledger(store, {
      genesisId: devnet.network.genesisId,
      powUnit: BigInt(devnet.network.powUnit),
    });
    await ledger.receive(
      stored.bytes.map((text) => Buffer.from(text, 'base64')),
      Date.now(),
    );
    const replayed = Object.fromEntries(
      [...store.allBalances()].map(([address, value]) => [address, value.toString()]),
    );
    const storedNonZero = Object.fromEntries(Object.entries(stored.balances).filter(([, v]) => v !== '0'));
    expect(replayed).toEqual(storedNonZero);
    expect(stored.bytes.map((text) => txIdOf(Buffer.from(text, 'base64')))).toContain(paymentId);
  }, 60_000);

  it('a stock WebTorrent client fetches the payment by magnet from the tabs; the bytes hash to its id', async () => {
    const stockPage = await (await newPeerContext(world.browser, vite.origin)).newPage();
    await stockPage.goto(`${vite.origin}/test/browser/pages/stockWebTorrent.html`);
    await stockPage.waitForFunction(() => 'stockWebTorrentTest' in window);
    const stock = pageApi<StockWebTorrentPageApi>(stockPage, 'stockWebTorrentTest');
    const tracker = devnet.trackerUrls[0]!;
    const fetched = await stock.fetch(`magnet:?xt=urn:btih:${paymentId}`, tracker);
    const bytes = Buffer.from(fetched.base64, 'base64');
    expect(txIdOf(bytes)).toBe(paymentId);
    expect(JSON.parse(bytes.toString('utf8')).to).toBe(bAddress);
    await stock.destroy();
  }, 60_000);

  it('B receives a child before its parent from a Node node in the swarm and ends with both accepted', async () => {
    const network = {
      params: devnet.devnet.params,
      genesis: { ...devnet.devnet.genesis, id: devnet.devnet.genesis.id },
      owner: devnet.devnet.owner,
    };
    let node: NodePeer | undefined;
    try {
      node = await startNodePeer(network, devnet.trackerUrls[0]!);
      // Offers lost on a loaded machine are retried only after a minute with one peer; ask again sooner.
      const asking = setInterval(() => node!.node.lookForPeers(), 5000);
      try {
        await waitFor('the Node node to meet both tabs', [node], () => node!.node.status().peers >= 2);
      } finally {
        clearInterval(asking);
      }
      const carol = personNamed('carol');
      const parent = signPayment(devnet.devnet.owner, carol, 50, devnet.network.genesisId, Date.now());
      const child = signPayment(carol, { ...carol, address: bAddress }, 20, parent.id, Date.now() + 1);
      await node.ledger.receive([parent.bytes, child.bytes], Date.now());
      node.node.gossip.publish([{ id: child.id, bytes: child.bytes, time: child.tx.time }]); // the child alone: B must ask for its parent
      await b.waitForFunction(
        (id) =>
          document
            .querySelector(`[data-testid=history-entry][data-id="${id}"]`)
            ?.getAttribute('data-status') === 'accepted',
        child.id,
        { timeout: 20000 },
      );
      const stored = await readStoredLedger(b, devnet.network.genesisId);
      const ids = stored.bytes.map((text) => txIdOf(Buffer.from(text, 'base64')));
      expect(ids.indexOf(child.id)).toBeLessThan(ids.indexOf(parent.id)); // it really came first
    } finally {
      await node?.close();
    }
  }, 90_000);
});

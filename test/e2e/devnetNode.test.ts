// The devnet keeps its history with every tab closed: in real Chromium, A takes faucet tokens and pays B;
// both tabs close; a new user's tab, with no other tab online, syncs both payments over WebRTC from the
// devnet's own full node alone, into its IndexedDB.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { txIdOf } from '../../src/core/txId.ts';
import {
  openNode,
  pay,
  readStoredLedger,
  takeFaucetTokens,
  waitForEntry,
  waitForPeers,
} from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';
import { pollFor } from '../support/pollFor.ts';

let world: E2eDevnet;

beforeAll(async () => {
  world = await startE2eDevnet({ node: true });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

it('a new tab gets A→B from the devnet node alone after both tabs closed', async () => {
  const { devnet } = world;
  const node = devnet.node!;
  const [a, b] = await Promise.all([world.userPage(), world.userPage()]);
  await openNode(a, devnet.appUrl);
  const bAddress = await openNode(b, devnet.appUrl);
  await takeFaucetTokens(a);
  await Promise.all([waitForPeers(a), waitForPeers(b)]);
  const memo = 'kept by the node';
  expect(await pay(a, bAddress, 77, memo)).toContain('accepted');
  const paymentId = await waitForEntry(b, memo, 'accepted');
  const faucetPayment = (await node.store.getTx(paymentId))?.prev;
  await pollFor(
    'the devnet node accepts the payment',
    async () => (await node.store.getTx(paymentId))?.status === 'accepted',
    60_000,
  );
  expect(faucetPayment).toBeDefined();
  await Promise.all([a.context().close(), b.context().close()]);

  const c = await world.userPage();
  await openNode(c, devnet.appUrl);
  await pollFor(
    'the new tab stores both payments',
    async () => {
      const ids = (await readStoredLedger(c, devnet.network.genesisId)).bytes.map((t) =>
        txIdOf(Buffer.from(t, 'base64')),
      );
      return ids.includes(paymentId) && ids.includes(faucetPayment!);
    },
    90_000,
  );
  expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
}, 240_000);

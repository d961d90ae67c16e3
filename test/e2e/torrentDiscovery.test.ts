// The seed's discovery rule in real Chromium: a devnet payment that only a plain webtorrent client seeds
// (no gossip, no other tab, no full node) is listed in the devnet tracker's record; a new tab reads the
// record from its own origin, finds no gossip peer offering it, fetches it as a torrent through its
// network worker, stores it accepted, and shows the network's size.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { txIdOf } from '../../src/core/txId.ts';
import { TxChunkStore, txTorrentFile } from '../../src/net/txTorrent.ts';
import type { WebTorrentLike } from '../../src/net/webTorrentTypes.ts';
import { openNode, readStoredLedger, showView } from '../support/appPage.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';
import { nodeWebTorrent, ownTrackerUrl } from '../support/nodePeer.ts';
import { pollFor } from '../support/pollFor.ts';
import { personNamed } from '../support/testNetwork.ts';

let world: E2eDevnet;
let seeder: WebTorrentLike | undefined;

beforeAll(async () => {
  world = await startE2eDevnet();
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => (seeder ? seeder.destroy(() => resolve()) : resolve()));
  await world?.close();
});

it('a tab fetches a payment only a plain webtorrent client seeds, found in the tracker record', async () => {
  const { devnet } = world;
  const paid = await devnet.faucet.pay(personNamed('carol').address, 500, Date.now());
  if (!paid.ok) throw new Error(paid.error);
  const { bytes, id } = paid.payment;
  seeder = nodeWebTorrent();
  seeder.add(txTorrentFile(bytes), {
    announce: [ownTrackerUrl(devnet.trackerUrls[0]!)],
    preloadedStore: new TxChunkStore(bytes),
    skipVerify: true,
  });
  await pollFor('the seeder to announce the payment', () => devnet.tracker.record.get(id) !== undefined);

  const page = await world.userPage();
  await openNode(page, devnet.appUrl);
  // GOSSIP_GRACE_MS (30 s) first; then one fetch, or a retry after a failed connection.
  await pollFor(
    'the tab to store the payment',
    async () =>
      (await readStoredLedger(page, devnet.network.genesisId)).bytes.some(
        (b) => txIdOf(Buffer.from(b, 'base64')) === id,
      ),
    200_000,
  );
  await showView(page, 'Network');
  const size = page.getByTestId('network-size');
  await pollFor('the network size to count it', async () => (await size.getAttribute('data-known')) === '2');
  expect((await size.textContent())!.replace(/\s+/g, ' ')).toMatch(
    /^2 transactions known to exist \(2 accepted here\); 0 missing, 0 fetched as torrents now, 1 so far/,
  );
  expect(await page.getByTestId('peer-count').textContent()).toBe('0'); // it came as a torrent
  expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
}, 300_000);

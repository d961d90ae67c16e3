// The full node on real parts: a real tracker, Node peers over real WebRTC, the ledger in SQLite. A pays
// B, A leaves, and a newcomer gets the payment from the full node alone; the node keeps it across a
// restart and seeds its torrent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openFullNode, type FullNode } from '../../src/node/openFullNode.ts';
import { networkConfigOf } from '../support/fullNodeNetwork.ts';
import { ownTrackerUrl, startNodePeer, type NodePeer } from '../support/nodePeer.ts';
import { pollFor } from '../support/pollFor.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

let tracker: TestTracker;
const dir = mkdtempSync(join(tmpdir(), 'torrenttx-fullnode-'));
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  tracker = await startTestTracker();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});
afterAll(async () => {
  await tracker.close();
  rmSync(dir, { recursive: true, force: true });
});

async function fullNode(net: ReturnType<typeof makeTestNetwork>, dataDir: string): Promise<FullNode> {
  const full = await openFullNode({
    network: networkConfigOf(net, [ownTrackerUrl(tracker.wsUrl)]),
    dataDir,
    dht: false,
    rtcBindAddress: '127.0.0.1',
  });
  open.push(full);
  await full.start();
  return full;
}

async function peer(net: ReturnType<typeof makeTestNetwork>): Promise<NodePeer> {
  const p = await startNodePeer(net, tracker.wsUrl);
  open.push(p);
  return p;
}

it('a newcomer gets a payment from the full node alone, after its sender left', async () => {
  const net = makeTestNetwork();
  const dataDir = join(dir, 'a');
  const full = await fullNode(net, dataDir);
  const alice = await peer(net);
  const payment = pay(net.owner, personNamed('bob'), 250, net.genesis.id);
  await pollFor('alice meets the full node', () => alice.node.status().peers > 0, 30_000);
  await alice.send(payment);
  await pollFor(
    'the full node accepts the payment',
    async () => (await full.store.getTx(payment.id))?.status === 'accepted',
    30_000,
  );
  expect((await full.status()).hotTorrents).toBe(1);
  await alice.close();
  open.splice(open.indexOf(alice), 1);

  const carol = await peer(net);
  await pollFor(
    'carol syncs from the full node',
    async () => (await carol.store.getTx(payment.id))?.status === 'accepted',
    30_000,
  );
  expect(await carol.store.getBalance(personNamed('bob').address)).toBe(250n);

  // Restarted on the same folder, the node still holds it and seeds it again.
  await full.close();
  open.splice(open.indexOf(full), 1);
  const again = await fullNode(net, dataDir);
  expect((await again.store.getTx(payment.id))?.status).toBe('accepted');
  expect((await again.status()).hotTorrents).toBe(1);
}, 120_000);

// Forty honest peers around one node (issue 16 item 7): more peers holding announcements at once than
// the request tracker's old bound of 32, none of them at fault. Each spoke is a real node on its own
// loopback tracker, which the hub announces to as well, so that the hub has a real webtorrent wire to
// every spoke and the spokes none to each other (a full node with its 40 peers). Every spoke then accepts
// a fresh payment of its own and announces it (HAVE) to the hub; the spokes' disks are slow (their
// ledger's bytesOf waits for a gate), so the hub holds all forty announcements at once before any is
// answered. None may be banned, and the hub must get all forty payments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GossipLedger } from '../../src/net/gossipLedger.ts';
import { startNodePeer, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const SPOKES = 40;
const network = makeTestNetwork();
let trackers: TestTracker[] = [];
let hub: NodePeer;
let spokes: NodePeer[] = [];
let openDisks = () => {};
const disksOpen = new Promise<void>((resolve) => (openDisks = resolve));

/** The real ledger, whose reads for serving wait until the test opens the gate (a slow disk). */
function slowDisk(real: GossipLedger): GossipLedger {
  return {
    receive: (items, ids) => real.receive(items, ids),
    known: (ids) => real.known(ids),
    bytesOf: async (ids) => {
      await disksOpen;
      return real.bytesOf(ids);
    },
    inventory: () => real.inventory(),
    dropHeld: (ids) => real.dropHeld(ids),
  };
}

beforeAll(async () => {
  const started = performance.now();
  trackers = await Promise.all(Array.from({ length: SPOKES }, () => startTestTracker()));
  hub = await startNodePeer(network, trackers[0]!.wsUrl, {
    moreTrackerUrls: trackers.slice(1).map((tracker) => tracker.wsUrl),
  });
  spokes = await Promise.all(
    trackers.map((tracker) => startNodePeer(network, tracker.wsUrl, { wrapLedger: slowDisk })),
  );
  const asking = setInterval(() => hub.node.lookForPeers(), 5000);
  try {
    await waitFor('the hub to have every spoke as a peer', [hub], () => hub.node.status().peers >= SPOKES);
  } finally {
    clearInterval(asking);
  }
  console.log(`${SPOKES} spokes connected to the hub in ${(performance.now() - started).toFixed(0)} ms`);
}, 120_000);

afterAll(async () => {
  openDisks();
  await Promise.all([hub, ...spokes].map((peer) => peer?.close()));
  await Promise.all(trackers.map((tracker) => tracker.close()));
});

describe('forty honest peers around one node', () => {
  it('all announce at once; none is banned and every payment arrives', async () => {
    const payments = spokes.map((_, i) =>
      pay(network.owner, personNamed(`spoke${i}`), 1, network.genesis.id, Date.now()),
    );
    // Each spoke accepts its own payment as if fetched, and announces it (HAVE) to the hub.
    await Promise.all(spokes.map((spoke, i) => spoke.node.gossip.receiveFetched([payments[i]!.bytes])));
    // Announcements raise no event: look every 20 ms, for at most 8 s.
    let allHeld = false;
    for (let waited = 0; waited < 8000 && !allHeld; waited += 20) {
      allHeld = hub.node.gossip.exchangeState().requests.peers >= SPOKES;
      if (!allHeld) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const held = hub.node.gossip.exchangeState().requests;
    console.log(`the hub held announcements from ${held.peers} peers at once (${held.ids} ids)`);
    openDisks();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arrived = await Promise.race([
      waitFor('the hub to accept every payment', [hub], async () =>
        (await Promise.all(payments.map((p) => hub.store.getTx(p.id)))).every(
          (r) => r?.status === 'accepted',
        ),
      ).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 30_000))),
    ]);
    clearTimeout(timer);
    expect(hub.misbehaviour).toEqual([]);
    expect(spokes.flatMap((spoke) => spoke.misbehaviour)).toEqual([]);
    expect(hub.node.status().peers).toBe(SPOKES);
    expect(allHeld).toBe(true);
    expect(arrived).toBe(true);
  }, 60_000);
});

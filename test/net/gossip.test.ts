// Gossip between real nodes: Node webtorrent peers over real WebRTC (node-datachannel), meeting in the
// genesis torrent's swarm through a real tracker on loopback, passing transactions over `ut_ttx`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { txIdOf } from '../../src/core/txId.ts';
import {
  nodeWebTorrent,
  ownTrackerUrl,
  startNodePeer,
  troubleOf,
  waitFor,
  type NodePeer,
} from '../support/nodePeer.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const network = makeTestNetwork();
const alice = personNamed('alice');
const bob = personNamed('bob');
let tracker: TestTracker;
let a: NodePeer;
let b: NodePeer;

beforeAll(async () => {
  tracker = await startTestTracker();
  a = await startNodePeer(network, tracker.wsUrl);
  b = await startNodePeer(network, tracker.wsUrl);
  await waitFor(
    'A and B to meet in the network swarm',
    [a, b],
    () => a.node.status().peers > 0 && b.node.status().peers > 0,
  );
}, 30000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await tracker?.close();
});

describe('gossip over ut_ttx', () => {
  it('a payment sent at A is accepted at B', async () => {
    const payment = pay(network.owner, alice, 500, network.genesis.id);
    await a.send(payment);
    await waitFor('B to accept', [b], async () => (await b.store.getTx(payment.id))?.status === 'accepted');
    // The value includes any mint from the payment's chance work (PROTOCOL §6): compare with A's figure.
    const atA = await a.store.getTx(payment.id);
    expect(await b.store.getBalance(alice.address)).toBe(atA!.value);
    expect(atA!.value! >= 500n).toBe(true);
  });

  it('an orphan at B gets its parent from the sender and both end accepted', async () => {
    const parent = pay(network.owner, bob, 300, network.genesis.id, network.genesis.tx.time + 5000);
    const child = pay(bob, alice, 100, parent.id, network.genesis.tx.time + 6000);
    // A knows both, but sends B only the child: B must ask A for the parent.
    await a.ledger.receive([parent.bytes, child.bytes], Date.now());
    a.node.gossip.publish([{ ...child, time: child.tx.time }]);
    await waitFor(
      'B to accept the child',
      [b],
      async () => (await b.store.getTx(child.id))?.status === 'accepted',
    );
    expect((await b.store.getTx(parent.id))?.status).toBe('accepted');
    const childAtB = await b.store.getTx(child.id);
    const parentAtB = await b.store.getTx(parent.id);
    expect(childAtB!.arrival).toBeLessThan(parentAtB!.arrival); // it really arrived first, as an orphan
  });

  it('a stock webtorrent client fetches a payment by infohash from the node that seeds it', async () => {
    const payment = pay(network.owner, bob, 42, network.genesis.id, network.genesis.tx.time + 7000);
    await a.send(payment);
    const client = nodeWebTorrent();
    const trouble = troubleOf(client);
    try {
      const bytes = await new Promise<Uint8Array>((resolve, reject) => {
        client.on('error', reject);
        const torrent = client.add(
          `magnet:?xt=urn:btih:${payment.id}&tr=${encodeURIComponent(ownTrackerUrl(tracker.wsUrl))}`,
          {},
        );
        torrent.once('done', () => {
          const file = (
            torrent as unknown as { files: { path: string; arrayBuffer(): Promise<ArrayBuffer> }[] }
          ).files[0]!;
          expect(file.path.replace(/\\/g, '/')).toBe('tx/tx.json');
          file.arrayBuffer().then((buffer) => resolve(new Uint8Array(buffer)), reject);
        });
      });
      expect(bytes).toEqual(payment.bytes);
      expect(txIdOf(bytes)).toBe(payment.id);
    } finally {
      await new Promise<void>((resolve) => client.destroy(() => resolve()));
    }
    expect(trouble, 'the stock client').toEqual([]);
  }, 30000);
});

// Double-spend evidence between real nodes (Node webtorrent over real WebRTC, real trackers on loopback):
// two swarms that each saw a different spend of one output first are joined by a bridge node. Nodes keep
// their first-seen verdicts, and every node records the double spend, including those that would never
// learn of it by reconciliation (a conflict is not in anyone's accepted set); a node that joins later is
// told of it on connecting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodePeer, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const network = makeTestNetwork(1_000_000);
const alice = personNamed('alice');
const bob = personNamed('bob');
const toAlice = pay(network.owner, alice, 600_000, network.genesis.id);
const toBob = pay(network.owner, bob, 600_000, network.genesis.id, network.genesis.tx.time + 2000);
const output = network.genesis.id;

let left: TestTracker;
let right: TestTracker;
const nodes: NodePeer[] = [];

/**
 * Waits until `node` has `peers` gossip peers, announcing again every 5 s meanwhile (an offer lost on a
 * loaded machine is otherwise retried only after a minute). `onMet` runs the moment the count is reached.
 */
async function meet(node: NodePeer, peers: number, onMet: () => void = () => {}): Promise<void> {
  const asking = setInterval(() => node.node.lookForPeers(), 5000);
  try {
    await waitFor(`${peers} peers`, [node], () => {
      const met = node.node.status().peers >= peers;
      if (met) onMet();
      return met;
    });
  } finally {
    clearInterval(asking);
  }
}

async function statusOf(node: NodePeer, id: string): Promise<string | undefined> {
  return (await node.store.getTx(id))?.status;
}

beforeAll(async () => {
  [left, right] = await Promise.all([startTestTracker(), startTestTracker()]);
}, 30_000);

afterAll(async () => {
  for (const node of nodes) await node.close();
  await left?.close();
  await right?.close();
});

describe('conflict evidence', () => {
  let x1: NodePeer;
  let x2: NodePeer;
  let z: NodePeer;
  let bridge: NodePeer;

  it('after two halves that saw different spends first are bridged, every node records the double spend', async () => {
    // The attacker's two spends, each reaching one half first.
    [x1, x2, z] = await Promise.all([
      startNodePeer(network, left.wsUrl),
      startNodePeer(network, left.wsUrl),
      startNodePeer(network, right.wsUrl),
    ]);
    nodes.push(x1, x2, z);
    await waitFor('the left half to meet', [x1, x2], () => x1.node.status().peers > 0);
    await x1.send(toAlice);
    await z.send(toBob);
    await waitFor(
      'X2 to accept the spend to Alice',
      [x2],
      async () => (await statusOf(x2, toAlice.id)) === 'accepted',
    );

    bridge = await startNodePeer(network, left.wsUrl, { moreTrackerUrls: [right.wsUrl] });
    nodes.push(bridge);
    const everyone = [x1, x2, z, bridge];
    let joined = 0;
    await meet(bridge, 3, () => (joined = performance.now()));
    await waitFor('every node to record the double spend', everyone, () =>
      everyone.every((node) => node.node.gossip.conflicts.records.has(output)),
    );
    console.log(
      `double spend recorded by all 4 nodes ${(performance.now() - joined).toFixed(0)} ms after the bridge met both halves`,
    );

    // First-seen verdicts stand: the left half keeps Alice's payment, the right half Bob's.
    for (const node of [x1, x2]) {
      expect(await statusOf(node, toAlice.id)).toBe('accepted');
      await waitFor(
        'the losing spend to be stored as conflict',
        [node],
        async () => (await statusOf(node, toBob.id)) === 'conflict',
      );
      expect(await node.store.getBalance(bob.address)).toBe(0n);
      expect(await node.store.getBalance(alice.address)).toBeGreaterThanOrEqual(600_000n);
    }
    expect(await statusOf(z, toBob.id)).toBe('accepted');
    expect(await statusOf(z, toAlice.id)).toBe('conflict');
    expect(await z.store.getBalance(alice.address)).toBe(0n);
    for (const node of everyone) expect(node.misbehaviour).toEqual([]);
  }, 90_000);

  it('a node that connects afterwards is told of the double spend on connecting', async () => {
    const late = await startNodePeer(network, right.wsUrl);
    nodes.push(late);
    await meet(late, 1);
    await waitFor('the late node to record the double spend', [late], () =>
      late.node.gossip.conflicts.records.has(output),
    );
    const statuses = [await statusOf(late, toAlice.id), await statusOf(late, toBob.id)].sort();
    expect(statuses).toEqual(['accepted', 'conflict']);
    expect(late.misbehaviour).toEqual([]);
  }, 60_000);
});

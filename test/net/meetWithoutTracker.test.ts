// Meeting without the tracker (issue 18 item 3), for real: Node nodes running the tab's NetworkNode and
// gossip (webtorrent over node-datachannel, WebRTC on 127.0.0.1), real trackers on loopback.
// - A newcomer meets one peer (the introducer) through its only tracker; that tracker is then closed. The
//   newcomer must still reach three more peers, each by an offer its introducer relayed (SIGNAL frames),
//   peers it never met through a tracker; nobody is dropped for misbehaving on the way.
// - A node that announces to two trackers meets peers on each; when one closes, its peers stay and a
//   newcomer on the other still finds it.
import type { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerLimits } from '../../src/net/introductions/relayedPeers.ts';
import type { GossipWire } from '../../src/net/txGossip.ts';
import { nodeWebTorrent, startNodePeer, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const network = makeTestNetwork(1_000_000);
const nodes: NodePeer[] = [];
const trackers: TestTracker[] = [];
/** A tab's limits (the newcomer); the others answer introductions but seek none (target 0). */
const TAB: PeerLimits = { target: 8, cap: 12 };
const ANSWER_ONLY: PeerLimits = { target: 0, cap: 12 };

afterEach(async () => {
  for (const node of nodes.splice(0)) await node.close();
  for (const tracker of trackers.splice(0)) await tracker.close();
});

/** webtorrent's torrent, as this test reads it: its wires, and the source of each peer (lib/peer.js). */
interface Swarm extends EventEmitter {
  readonly wires: GossipWire[];
  readonly discovery: EventEmitter;
  readonly _peers: Map<string, { readonly source?: string | null }>;
}

/**
 * Records the id of every peer a tracker hands `swarm` from now on, and of those it holds now that came
 * from one: webtorrent marks each peer with its source ('tracker'; introductions add theirs as 'manual').
 */
function trackerPeersOf(swarm: Swarm): Set<string> {
  const met = new Set<string>();
  for (const [id, peer] of swarm._peers) if (peer.source === 'tracker') met.add(id);
  swarm.discovery.on('peer', (peer: { id?: string } | string) => {
    if (typeof peer !== 'string' && peer.id) met.add(peer.id);
  });
  return met;
}

/** A node on its own client, with its network swarm (the genesis torrent) to read wires from. */
async function startWithSwarm(
  trackerUrl: string,
  options: Parameters<typeof startNodePeer>[2] = {},
): Promise<{ peer: NodePeer; swarm: Swarm }> {
  const client = nodeWebTorrent();
  const peer = await startNodePeer(network, trackerUrl, { ...options, client });
  nodes.push(peer);
  const swarm = (await client.get(network.genesis.id)) as unknown as Swarm;
  return { peer, swarm };
}

/** Waits until `node` has `peers` gossip peers, asking its trackers again every 5 s meanwhile. */
async function meet(node: NodePeer, peers: number): Promise<void> {
  const asking = setInterval(() => node.node.lookForPeers(), 5000);
  try {
    await waitFor(`${peers} peers`, [node], () => node.node.status().peers >= peers);
  } finally {
    clearInterval(asking);
  }
}

describe('meeting without the tracker', () => {
  it('a newcomer whose only tracker closed reaches three peers through offers its one peer relays', async () => {
    const [newcomerTracker, meshTracker] = await Promise.all([startTestTracker(), startTestTracker()]);
    trackers.push(newcomerTracker, meshTracker);
    // The introducer meets A, B and C on a tracker the newcomer never uses.
    const introducer = await startWithSwarm(meshTracker.wsUrl, {
      moreTrackerUrls: [newcomerTracker.wsUrl],
      introductions: ANSWER_ONLY,
    });
    const others = await Promise.all(
      ['A', 'B', 'C'].map(() => startWithSwarm(meshTracker.wsUrl, { introductions: ANSWER_ONLY })),
    );
    await meet(introducer.peer, 3);

    // Every peer id a tracker ever handed the newcomer (offers it answered, answers to its own offers).
    const newcomer = await startWithSwarm(newcomerTracker.wsUrl, { introductions: TAB });
    const metThroughTracker = trackerPeersOf(newcomer.swarm);
    await meet(newcomer.peer, 1);
    expect(newcomer.swarm.wires.map((wire) => wire.peerId)).toEqual([introducer.peer.peerId]);

    // Both trackers go: the newcomer's only one, and the one where the others met.
    await Promise.all([newcomerTracker.kill(), meshTracker.kill()]);
    trackers.splice(0);
    const killed = performance.now();
    const othersIds = new Set(others.map(({ peer }) => peer.peerId));
    const relayedWires = () =>
      newcomer.swarm.wires.filter((wire) => wire.peerId && !metThroughTracker.has(wire.peerId));
    const everyone = [introducer, ...others, newcomer].map(({ peer }) => peer);
    await waitFor('three peers met through relayed offers', everyone, () => {
      const relayed = relayedWires().filter((wire) => othersIds.has(wire.peerId!));
      return relayed.length >= 3 && newcomer.peer.node.status().peers >= 4;
    });
    const took = performance.now() - killed;
    const relayed = introducer.peer.node.status().introductions!;
    const status = newcomer.peer.node.status();
    console.log(
      `tracker closed → newcomer with 3 peers met through relayed signalling in ${(took / 1000).toFixed(1)} s; ` +
        `the introducer relayed ${relayed.forwarded} SIGNAL frames (dropped ${relayed.dropped}); the newcomer ` +
        `offered ${status.introductions!.offered}, connected ${status.introductions!.connected}`,
    );

    expect([...metThroughTracker]).toEqual([introducer.peer.peerId]);
    expect(
      relayedWires()
        .map((wire) => wire.peerId)
        .sort(),
    ).toEqual([...othersIds].sort());
    for (const id of othersIds) expect(newcomer.swarm._peers.get(id)?.source).toBe('manual');
    expect(status.introductions!.connected).toBeGreaterThanOrEqual(3);
    // Three offers and their three answers went through the introducer.
    expect(relayed.forwarded).toBeGreaterThanOrEqual(6);
    for (const peer of everyone) expect(peer.misbehaviour).toEqual([]);
    // They are gossip wires like any other: a payment from A reaches the newcomer.
    const toDan = pay(network.owner, personNamed('dan'), 1000, network.genesis.id, Date.now() - 1000);
    await others[0]!.peer.send(toDan);
    await waitFor(
      'the payment to reach the newcomer',
      [newcomer.peer],
      async () => (await newcomer.peer.store.getTx(toDan.id))?.status === 'accepted',
    );
  }, 120_000);

  it('a node on two trackers meets peers on each, and losing one changes nothing it shows', async () => {
    const [left, right] = await Promise.all([startTestTracker(), startTestTracker()]);
    trackers.push(left, right);
    const both = await startWithSwarm(left.wsUrl, { moreTrackerUrls: [right.wsUrl] });
    const onLeft = await startWithSwarm(left.wsUrl);
    const onRight = await startWithSwarm(right.wsUrl);
    await meet(both.peer, 2);
    expect(both.peer.node.status().announce.map(({ announce }) => announce.state)).toEqual([
      'announced',
      'announced',
    ]);

    await left.kill();
    trackers.splice(trackers.indexOf(left), 1);
    // Its peers stay, gossip flows over them, and a newcomer on the tracker left still finds it.
    expect(both.peer.node.status().peers).toBe(2);
    // Dated now: fresh, so the node relays it at once (an old one would wait for reconciliation).
    const toErin = pay(network.owner, personNamed('erin'), 1000, network.genesis.id, Date.now() - 1000);
    await onLeft.peer.send(toErin);
    await waitFor(
      'the payment to cross the node',
      [onRight.peer],
      async () => (await onRight.peer.store.getTx(toErin.id))?.status === 'accepted',
    );
    const newcomer = await startWithSwarm(right.wsUrl);
    await meet(newcomer.peer, 1);
    await meet(both.peer, 3);
    for (const { peer } of [both, onLeft, onRight, newcomer]) expect(peer.misbehaviour).toEqual([]);
  }, 120_000);
});

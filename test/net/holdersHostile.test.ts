// Who counts as holding a payment (src/net/evidence/holderCounts.ts: the wallet's "held by k peers"),
// over real webtorrent wires on loopback. Honest peers that hold a payment make it settled; three fake
// peers that announce it (HAVE) and reconcile from a set without it do not, before or after the
// reconciliations that check the watched payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentState, SETTLE_HOLDERS, SETTLE_WINDOW_MS } from '../../src/core/paymentState.ts';
import { Reconciler } from '../../src/net/sync/reconciler.ts';
import { SyncSet } from '../../src/net/sync/syncSet.ts';
import type { GossipWire } from '../../src/net/txGossip.ts';
import {
  decodeFrame,
  encodeHave,
  encodeSync,
  encodeSyncReply,
  EXTENSION_NAME,
  MAX_SYNC_BYTES,
  WIRE_VERSION,
} from '../../src/net/txWireProtocol.ts';
import type { WebTorrentLike } from '../../src/net/webTorrentTypes.ts';
import { nodeWebTorrent, startNodePeer, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { pollFor } from '../support/pollFor.ts';
import { joinAsRogue, leave } from '../support/roguePeer.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const network = makeTestNetwork(1_000_000);
let tracker: TestTracker;
/** The wallet's node, whose "held by k peers" is read; and two honest peers. */
let wallet: NodePeer;
let walletClient: WebTorrentLike;
let honestA: NodePeer;
let honestB: NodePeer;

/** How the wallet would show a payment it first saw at `since`, once the settle window has passed. */
function stateOf(id: string, since: number) {
  return paymentState({
    firstSeenAt: since,
    conflictSeenAt: null,
    settledAt: null,
    holders: wallet.node.gossip.holders.count(id, since),
    peers: wallet.node.status().peers,
    now: since + SETTLE_WINDOW_MS,
  });
}

/** Has honestA pay someone; resolves with when the wallet's node first could have seen it. */
async function payThroughA(name: string): Promise<{ id: string; since: number }> {
  const payment = pay(network.owner, personNamed(name), 1000, network.genesis.id, Date.now());
  const since = Date.now();
  await honestA.send(payment);
  await waitFor(
    'the wallet node to accept the payment',
    [wallet],
    async () => (await wallet.store.getTx(payment.id))?.status === 'accepted',
  );
  return { id: payment.id, since };
}

beforeAll(async () => {
  tracker = await startTestTracker();
  walletClient = nodeWebTorrent();
  [wallet, honestA, honestB] = await Promise.all([
    startNodePeer(network, tracker.wsUrl, { client: walletClient }),
    startNodePeer(network, tracker.wsUrl),
    startNodePeer(network, tracker.wsUrl),
  ]);
  const asking = setInterval(() => wallet.node.lookForPeers(), 5000);
  try {
    await waitFor('the three honest nodes to meet', [wallet], () => wallet.node.status().peers >= 2);
  } finally {
    clearInterval(asking);
  }
}, 90_000);

afterAll(async () => {
  await Promise.all([wallet, honestA, honestB].map((peer) => peer?.close()));
  await tracker?.close();
});

/** A fake peer's view of its wire to the wallet's node. */
interface FakeWire {
  syncsAnswered: number;
  /** Replies (SYNC_REPLY) to its own SYNCs, each sent right after it answered one. */
  replies: number;
  /** The wire closed (a second connection between the same two peers is closed by glare resolution). */
  closed: boolean;
}

describe('holders of a payment', () => {
  it('honest peers that hold a payment make it settled', async () => {
    const { id, since } = await payThroughA('alice');
    // honestA sent it; honestB holds it too, which a reconciliation compares (an early one: the payment
    // is watched from the first time it is asked about).
    await pollFor(
      `${SETTLE_HOLDERS} or every connected peer to hold the payment`,
      () => stateOf(id, since).state === 'settled',
      60_000,
    );
    expect(wallet.node.gossip.holders.count(id, since)).toBe(2);
  }, 90_000);

  it('three fake peers that announce a payment and reconcile without it do not make it settled', async () => {
    const { id, since } = await payThroughA('bob');
    const fakes: WebTorrentLike[] = [];
    const fakeIds = new Set<string>();
    /** Each fake's wires to the wallet node. */
    const wires: FakeWire[] = [];
    const toWallet = { every: (check: (wire: FakeWire) => boolean) => open().every(check) };
    const open = () => wires.filter((wire) => !wire.closed);
    class Fake {
      private readonly state: FakeWire = { syncsAnswered: 0, replies: 0, closed: false };
      constructor(private readonly wire: GossipWire) {
        wire.extendedHandshake.ttx = WIRE_VERSION;
        wire.once('close', () => (this.state.closed = true));
      }
      onExtendedHandshake(): void {
        if (this.wire.peerId === walletClient.peerId) wires.push(this.state);
      }
      onMessage(payload: Uint8Array): void {
        const frame = decodeFrame(payload);
        if (frame.type === 'sync') {
          // Answers from an empty set: it holds nothing, and says it holds the payment.
          const empty = new Reconciler(SyncSet.fromItems([]), { frameSizeLimit: MAX_SYNC_BYTES });
          this.send(encodeSyncReply(empty.respond(frame.message)));
          this.send(encodeHave([id]));
          this.state.syncsAnswered++;
          // Then a SYNC of its own: its reply comes after the node has read the frames above.
          if (!fakeIds.has(this.wire.peerId ?? '')) {
            this.send(encodeSync(new Reconciler(SyncSet.fromItems([])).initiate()));
          }
        } else if (frame.type === 'sync-reply') {
          this.state.replies++;
        }
      }
      private send(frame: Uint8Array): void {
        try {
          this.wire.extended(EXTENSION_NAME, frame);
        } catch {
          // closed
        }
      }
    }
    Object.defineProperty(Fake.prototype, 'name', { value: EXTENSION_NAME });
    try {
      for (let n = 0; n < 3; n++) {
        const fake = joinAsRogue(network, tracker.wsUrl, Fake);
        fakes.push(fake);
        fakeIds.add(fake.peerId);
      }
      const asking = setInterval(() => wallet.node.lookForPeers(), 5000);
      try {
        await pollFor(
          'the three fakes to be connected to the wallet node, reconciled and heard',
          () => open().length === 3 && toWallet.every((fake) => fake.replies >= 1),
          60_000,
        );
      } finally {
        clearInterval(asking);
      }
      expect(wallet.node.status().peers).toBe(5);
      const first = wallet.node.gossip.holders.count(id, since);
      console.log(
        `after the fakes' first reconciliation: ${first} holders of ${wallet.node.status().peers} peers`,
      );
      expect(stateOf(id, since).state).toBe('pending');
      // The payment is watched now: each peer not compared on it since is reconciled again early. The
      // fakes answer from their empty set again; honestB holds it.
      await pollFor(
        'the fakes to be reconciled again (the early check of a watched payment)',
        () => toWallet.every((fake) => fake.syncsAnswered >= 2 && fake.replies >= 2),
        120_000,
      ).catch((err: unknown) => {
        console.log('fake wires by then:', JSON.stringify(wires), wallet.misbehaviour);
        throw err;
      });
      await pollFor('honestB to be counted', () => wallet.node.gossip.holders.count(id, since) >= 2, 120_000);
      const holders = wallet.node.gossip.holders.count(id, since);
      console.log(`after the early checks: ${holders} holders of ${wallet.node.status().peers} peers`);
      expect(holders).toBe(2); // honestA (sent it) and honestB (compared)
      expect(stateOf(id, since)).toMatchObject({ state: 'pending', holdersNeeded: 1 });
      expect(wallet.misbehaviour).toEqual([]);
    } finally {
      await Promise.all(fakes.map(leave));
    }
  }, 300_000);
});

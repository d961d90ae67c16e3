// A TorrentTX node in Node for network tests: the real NetworkNode and gossip over webtorrent's Node
// package (WebRTC through node-datachannel), a core Ledger on the in-memory store, a real tracker.
// As in bittorrent-tracker's own tests, a webtorrent `error` or `warning` fails the test (close() rejects
// with them), and tests wait on the node's own events (waitFor), never on a clock.
import '../../src/node/nodeWebRtcEndOfCandidates.ts';
import WebTorrent from 'webtorrent';
import { Ledger } from '../../src/core/ledger.ts';
import type { EncodedTx } from '../../src/core/makeTx.ts';
import { acceptedTxOf, gossipLedgerOf, isRelayable } from '../../src/ledger/gossipLedgerOf.ts';
import type { DiscoveryOptions } from '../../src/net/discovery/txDiscovery.ts';
import { NetworkNode } from '../../src/net/networkNode.ts';
import type { RTCConfigurationLike, WebTorrentLike } from '../../src/net/webTorrentTypes.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import type { TestNetwork } from './testNetwork.ts';

export interface NodePeer {
  readonly store: MemoryLedgerStore;
  readonly ledger: Ledger;
  readonly node: NetworkNode;
  readonly misbehaviour: string[];
  /** The peer id of every peer this node disconnected for misbehaving, in order (with `misbehaviour`). */
  readonly misbehavingPeers: string[];
  /** This node's own peer id (hex), as its peers' wires report it. */
  readonly peerId: string;
  /** Calls `listener` after every event of the node: peers changed, accepted, misbehaviour, sent. */
  onEvent(listener: () => void): () => void;
  /** Resolves with the next problem this node disconnects a peer for. */
  nextMisbehaviour(): Promise<string>;
  /** Receives locally (as the wallet would) and publishes what was accepted. */
  send(tx: EncodedTx): Promise<void>;
  close(): Promise<void>;
}

/** Collects a client's errors and warnings, to fail the test with when it closes. */
export function troubleOf(client: WebTorrentLike): string[] {
  const trouble: string[] = [];
  client.on('error', (err) => trouble.push(`error: ${String(err)}`));
  client.on('warning', (err) => trouble.push(`warning: ${String(err)}`));
  return trouble;
}

export function nodeWebTorrent(): WebTorrentLike {
  return new WebTorrent({
    dht: false,
    lsd: false,
    utp: false,
    webSeeds: false,
    natUpnp: false,
    natPmp: false,
    // bindAddress (node-datachannel) keeps ICE on loopback, as every network test must.
    tracker: { rtcConfig: { iceServers: [], bindAddress: '127.0.0.1' } as RTCConfigurationLike },
  });
}

let nodeCount = 0;

/**
 * bittorrent-tracker pools WebSocket connections per announce URL for the whole process, and the tracker
 * knows one peer per socket. Real nodes each have their own process or worker; Node peers sharing a test
 * process get a URL of their own (the tracker ignores the path) so that each keeps a socket of its own.
 */
export function ownTrackerUrl(trackerUrl: string): string {
  return `${trackerUrl}/?node=${++nodeCount}`;
}

export interface NodePeerOptions {
  /** A ledger to start from (default: a new one holding the genesis only). */
  readonly store?: MemoryLedgerStore;
  /** Run the discovery (tracker record, torrent fetches) with these options. */
  readonly discovery?: DiscoveryOptions;
  /** The webtorrent client to use (default: a new nodeWebTorrent()). */
  readonly client?: WebTorrentLike;
  /** More trackers to announce to besides the first (a node that bridges two trackers' swarms). */
  readonly moreTrackerUrls?: readonly string[];
}

export async function startNodePeer(
  network: TestNetwork,
  sharedTrackerUrl: string,
  options: NodePeerOptions = {},
): Promise<NodePeer> {
  const trackerUrl = ownTrackerUrl(sharedTrackerUrl);
  const store = options.store ?? new MemoryLedgerStore();
  const ledger = new Ledger(store, network.params, { holdOnlyCoverableFutures: true });
  await ledger.receive([network.genesis.bytes], Date.now());
  const client = options.client ?? nodeWebTorrent();
  const trouble = troubleOf(client);
  const misbehaviour: string[] = [];
  const misbehavingPeers: string[] = [];
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((listener) => listener());
  const waiting: ((problem: string) => void)[] = [];
  const gossipLedger = gossipLedgerOf(ledger, store, () => Date.now());
  const node = new NetworkNode(
    client,
    {
      genesisId: network.genesis.id,
      genesisTx: network.genesis.bytes,
      trackers: [trackerUrl, ...(options.moreTrackerUrls ?? []).map(ownTrackerUrl)],
    },
    {
      ...gossipLedger,
      // Dropping what a misbehaving peer made the node hold changes the store after the drop event.
      dropHeld: async (ids) => {
        const dropped = await gossipLedger.dropHeld(ids);
        emit();
        return dropped;
      },
    },
    {
      onMisbehaviour: (peer, problem) => {
        misbehaviour.push(problem);
        misbehavingPeers.push(peer);
        for (const resolve of waiting.splice(0)) resolve(problem);
        emit();
      },
      onPeersChanged: emit,
      onAccepted: emit,
      onProgress: emit,
    },
    { discovery: options.discovery },
  );
  await node.start();
  // Wires closing (a dropped peer) change the swarm without a gossip event: report those too, once the
  // torrent has let go of the wire (its own close handler ran first).
  const swarm = await client.get(network.genesis.id);
  swarm?.on('wire', (wire) => {
    emit();
    wire.once('close', () => setImmediate(emit));
  });
  return {
    store,
    ledger,
    node,
    misbehaviour,
    misbehavingPeers,
    peerId: client.peerId,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    nextMisbehaviour: () => new Promise((resolve) => waiting.push(resolve)),
    async send(tx) {
      const { decided } = await ledger.receive([tx.bytes], Date.now());
      node.publish(decided.filter(isRelayable).map(acceptedTxOf));
      emit();
    },
    async close() {
      await node.destroy();
      if (trouble.length > 0) throw new Error(`webtorrent complained: ${trouble.join('; ')}`);
    },
  };
}

/**
 * Resolves once `check` holds, checking it now and after every event of `peers`; no clock is read. Should
 * the awaited event never come, the test's own timeout ends it, and `what` says what was awaited.
 */
export async function waitFor(
  what: string,
  peers: readonly NodePeer[],
  check: () => boolean | Promise<boolean>,
): Promise<void> {
  let stop = () => {};
  try {
    await new Promise<void>((resolve, reject) => {
      let checking = false;
      let again = false;
      const recheck = async () => {
        if (checking) return void (again = true);
        checking = true;
        try {
          do {
            again = false;
            if (await check()) return resolve();
          } while (again);
        } catch (err) {
          reject(new Error(`while waiting for ${what}: ${String(err)}`));
        } finally {
          checking = false;
        }
      };
      // Subscribed before the first check, so no event can slip between the check and the listening.
      const unsubscribe = peers.map((peer) => peer.onEvent(() => void recheck()));
      stop = () => unsubscribe.forEach((off) => off());
      void recheck();
    });
  } finally {
    stop();
  }
}

// A TorrentTX node in Node for network tests: the real NetworkNode and gossip over webtorrent's Node
// package (WebRTC through node-datachannel), a core Ledger on the in-memory store, a real tracker.
// As in bittorrent-tracker's own tests, a webtorrent `error` or `warning` fails the test (close() rejects
// with them), and tests wait on the node's own events (waitFor), never on a clock.
import type { SignatureVerifier } from '../../src/core/ed25519.ts';
import '../../src/node/nodeWebRtcEndOfCandidates.ts';
import WebTorrent from 'webtorrent';
import { Ledger } from '../../src/core/ledger.ts';
import type { EncodedTx } from '../../src/core/makeTx.ts';
import { acceptedTxOf, gossipLedgerOf, isRelayable } from '../../src/ledger/gossipLedgerOf.ts';
import type { GossipLedger } from '../../src/net/gossipLedger.ts';
import type { DiscoveryOptions } from '../../src/net/discovery/txDiscovery.ts';
import { NetworkNode } from '../../src/net/networkNode.ts';
import type { RTCConfigurationLike, WebTorrentLike } from '../../src/net/webTorrentTypes.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import type { PeerLimits } from '../../src/net/introductions/relayedPeers.ts';
import type { TestNetwork } from './testNetwork.ts';

export interface NodePeer {
  readonly store: MemoryLedgerStore;
  readonly ledger: Ledger;
  readonly node: NetworkNode;
  readonly misbehaviour: string[];
  /** The remote address of each peer in `misbehaviour`, as the wire reported it. */
  readonly misbehaviourFrom: (string | undefined)[];
  /** Why this node closed a peer without blame for keeping it waiting past a time-out, in order. */
  readonly unresponsive: string[];
  /** The peer id of every peer this node disconnected for misbehaving, in order (with `misbehaviour`). */
  readonly misbehavingPeers: string[];
  /** This node's own peer id (hex), as its peers' wires report it. */
  readonly peerId: string;
  /** Every BUSY this node was told (a peer at its maximum: come back after `retryAfterS`), in order. */
  readonly busy: { readonly peerId: string; readonly retryAfterS: number; readonly at: number }[];
  /** How many times its gossip peer count went up: each is a session begun (the first, or a come-back). */
  readonly sessionsBegun: () => number;
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

export interface NodeWebTorrentOptions {
  /** The peer id to announce (40 hex characters; default: webtorrent's random one). */
  readonly peerId?: string;
  /** The loopback address ICE binds to (default 127.0.0.1): another one is another address to peers. */
  readonly bindAddress?: string;
}

export function nodeWebTorrent(options: NodeWebTorrentOptions = {}): WebTorrentLike {
  return new WebTorrent({
    ...(options.peerId === undefined ? {} : { peerId: options.peerId }),
    dht: false,
    lsd: false,
    utp: false,
    webSeeds: false,
    natUpnp: false,
    natPmp: false,
    // bindAddress (node-datachannel) keeps ICE on loopback, as every network test must.
    tracker: {
      rtcConfig: { iceServers: [], bindAddress: options.bindAddress ?? '127.0.0.1' } as RTCConfigurationLike,
    },
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
  /** The gossip's clock (default Date.now). */
  readonly gossipClock?: () => number;
  /** Wraps the ledger gossip sees (a slow disk, a full one): the wrapper calls through to the real one. */
  readonly wrapLedger?: (ledger: GossipLedger) => GossipLedger;
  /** The ledger's signature verifier (default @noble/ed25519 strict; a Node node uses nodeStrictVerifier). */
  readonly verify?: SignatureVerifier;
  /**
   * Meet peers through introductions (relayed signalling) when the trackers bring none, with these
   * limits (src/net/introductions/relayedPeers.ts). Absent: the node relays others' signals only.
   */
  readonly introductions?: PeerLimits;
  /** How long a new peer counts as a newcomer for pushed transactions (default NEWCOMER_MS). */
  readonly newcomerMs?: number;
}

export async function startNodePeer(
  network: TestNetwork,
  sharedTrackerUrl: string,
  options: NodePeerOptions = {},
): Promise<NodePeer> {
  const trackerUrl = ownTrackerUrl(sharedTrackerUrl);
  const store = options.store ?? new MemoryLedgerStore();
  const ledger = new Ledger(store, network.params, {
    holdOnlyCoverableFutures: true,
    ...(options.verify && { verify: options.verify }),
  });
  await ledger.receive([network.genesis.bytes], Date.now());
  const client = options.client ?? nodeWebTorrent();
  const trouble = troubleOf(client);
  const misbehaviour: string[] = [];
  const misbehaviourFrom: (string | undefined)[] = [];
  const misbehavingPeers: string[] = [];
  const unresponsive: string[] = [];
  const busy: NodePeer['busy'] = [];
  let sessionsBegun = 0;
  let lastPeerCount = 0;
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((listener) => listener());
  const waiting: ((problem: string) => void)[] = [];
  const realGossipLedger = gossipLedgerOf(ledger, store, () => Date.now());
  const gossipLedger = options.wrapLedger?.(realGossipLedger) ?? realGossipLedger;
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
      onMisbehaviour: (peer, problem, address) => {
        misbehaviour.push(problem);
        misbehaviourFrom.push(address);
        misbehavingPeers.push(peer);
        for (const resolve of waiting.splice(0)) resolve(problem);
        emit();
      },
      onPeersChanged: (count) => {
        if (count > lastPeerCount) sessionsBegun++;
        lastPeerCount = count;
        emit();
      },
      onUnresponsive: (_peerId, problem) => {
        unresponsive.push(problem);
        emit();
      },
      onBusy: (peerId, retryAfterS) => {
        busy.push({ peerId, retryAfterS, at: Date.now() });
        emit();
      },
      onAccepted: emit,
      onProgress: emit,
      onLedgerFailed: emit,
    },
    {
      discovery: options.discovery,
      gossipClock: options.gossipClock,
      ...(options.newcomerMs !== undefined && { newcomerMs: options.newcomerMs }),
      ...(options.introductions && {
        introductions: { limits: options.introductions },
      }),
    },
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
    misbehaviourFrom,
    misbehavingPeers,
    unresponsive,
    peerId: client.peerId,
    busy,
    sessionsBegun: () => sessionsBegun,
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

// A TorrentTX node's presence on the network, the same in a browser worker and in Node tests:
// - it seeds the genesis transaction's torrent, which is the network swarm where nodes meet, and speaks
//   the `ut_ttx` gossip extension on every wire of it;
// - it seeds every transaction it made or received as a torrent of its own, so any WebTorrent client
//   can fetch it by infohash, without costing a connection per torrent: those torrents announce with
//   numwant 0 (no offers, so no RTCPeerConnection is opened for them) and re-announce `completed`,
//   which goes out without offers, every REANNOUNCE_MS to stay listed (the tracker drops a peer after
//   its peer TTL, 20 min by default). They answer only the offers that arrive.
// - every wire of every torrent it joins is guarded: a message longer than MAX_WIRE_MESSAGE_BYTES ends
//   the wire before its payload is buffered (exchange/guardWireLength.ts).
// - with `discovery` options, it keeps a record of the transactions the network holds (its tracker's
//   record and its peers' announcements) and fetches those no peer offers as torrents (discovery/).
// - with `maxPeers` (a full node), it keeps at most that many gossip peers and tells the others to come
//   back later (BUSY, exchange/admission.ts); told BUSY itself, it announces no sooner than asked, keeps
//   its other peers meanwhile, and comes back then if it still wants peers or transactions.
// - with `introductions` options, it meets peers without a tracker: when its trackers are down or bring
//   no one new, its peers relay its WebRTC offers to peers they know (introductions/).
import { TxDiscovery, type DiscoveryOptions, type DiscoveryStatus } from './discovery/txDiscovery.ts';
import { guardWireLength } from './exchange/guardWireLength.ts';
import {
  RelayedPeers,
  TAB_PEER_LIMITS,
  type IntroductionCounts,
  type IntroSwarm,
  type PeerLimits,
} from './introductions/relayedPeers.ts';
import { trackerRtcPeerFactory, type RtcPeerFactory } from './introductions/rtcPeer.ts';
import type { SignalCounts } from './introductions/signalRouter.ts';
import type { AcceptedTx, GossipLedger } from './gossipLedger.ts';
import { resolveGlare } from './resolveGlare.ts';
import { TrackerReconnect, type TrackerAnnounceState } from './trackerReconnect.ts';
import { TxGossip, type GossipEvents, type LedgerFailure, type SyncProgress } from './txGossip.ts';
import { TxChunkStore, txTorrentFile } from './txTorrent.ts';
import type { TorrentAddOptions, TorrentLike, WebTorrentLike } from './webTorrentTypes.ts';

export const REANNOUNCE_MS = 10 * 60 * 1000;
/** While it has fewer gossip peers than this, a node re-announces to the swarm every LONELY_MS. */
export const WANTED_PEERS = 3;
export const LONELY_MS = 15 * 1000;
/**
 * A node left with no gossip peer when a connection closes (an attempt that failed, a wire that went
 * down) asks the tracker again this soon (at most once per RETRY_AFTER_FAILURE_MS), rather than at its
 * next lonely tick: a newcomer meets an open tab within seconds even when the first WebRTC attempt fails.
 */
export const RETRY_AFTER_FAILURE_MS = 2000;
/**
 * The longest a BUSY holds back this node's early re-announces, whatever it asked (up to an hour on the
 * wire): any peer can send BUSY, and one that asked an hour must not keep a lonely tab from looking.
 */
export const MAX_BACKOFF_S = 60;
/**
 * With every tracker up but no new gossip peer for this long, the trackers count as bringing nothing
 * (the swarm is full, or everyone there is met): a node below its target seeks introductions then.
 */
export const TRACKERS_QUIET_MS = 15_000;

export interface NetworkConfig {
  readonly genesisId: string;
  readonly genesisTx: Uint8Array;
  readonly trackers: readonly string[];
}

/** How far this node has caught up with the network. */
export interface NetworkSync extends SyncProgress {
  /**
   * The network's size as this node knows it: its accepted transactions and those peers say exist and it
   * lacks (being fetched by gossip, or confirmed ids of the discovery record), whichever is more. Ids
   * only the tracker's record lists are hints (anyone can fill it) and never count.
   */
  readonly known: number;
  /** Transactions being fetched as torrents (no gossip peer offers them). */
  readonly fetching: number;
}

export interface NetworkNodeOptions {
  /** Read the tracker's record and fetch what no peer offers as torrents (absent: no discovery). */
  readonly discovery?: DiscoveryOptions;
  /**
   * Load the accepted set at start, not when the first peer's reconciliation asks for it: sorting
   * 100,000 ids took ~0.4 s, which that peer would wait for. An always-on node sets it; a tab does not
   * (at a reload the page's first reads of the ledger come first, and its first peer is a while away).
   */
  readonly preloadInventory?: boolean;
  /** The gossip's clock (default Date.now): a test moves it to see held transactions expire. */
  readonly gossipClock?: () => number;
  /** Gossip peers at most; the rest are told to come back (exchange/admission.ts). Absent: any number. */
  readonly maxPeers?: number;
  /** How long a new peer counts as a newcomer for pushed transactions (default: TxGossip's NEWCOMER_MS). */
  readonly newcomerMs?: number;
  /** Meet peers through peers' introductions (relayed signalling) when the trackers bring none. */
  readonly introductions?: {
    /** How to open a WebRTC connection (default: as the swarm's tracker client does, rtcPeer.ts). */
    readonly createPeer?: RtcPeerFactory;
    /** Gossip peers to seek and the most to open connections up to (default: a tab's, 8 and 12). */
    readonly limits?: PeerLimits;
  };
}

/** Introductions: signals this node relayed or dropped, and the connections they opened. */
export interface IntroductionStatus extends SignalCounts, IntroductionCounts {
  /** Connections being opened through introductions now. */
  readonly pending: number;
}

export interface NetworkNodeStatus {
  readonly peers: number;
  readonly swarmWires: number;
  readonly seeding: number;
  /** How far this node has caught up with what its peers hold and the tracker lists. */
  readonly sync: NetworkSync;
  /** The discovery record and torrent fetches; null without discovery. */
  readonly discovery: DiscoveryStatus | null;
  /** The network swarm's announce state on each WebSocket tracker. */
  readonly announce: readonly TrackerAnnounceState[];
  /** Offers sent through the trackers, not yet answered (not peers yet). */
  readonly pendingOffers: number;
  /** Double spends this node knows of and passes evidence of (src/net/evidence/conflictRecords.ts). */
  readonly conflicts: number;
  /** The last batch of received transactions the ledger rejected (quota, disk full), if any. */
  readonly ledgerFailure: LedgerFailure | null;
  /** Relayed signalling and what it opened; null without introductions. */
  readonly introductions: IntroductionStatus | null;
}

/**
 * How a transaction torrent is added: its one piece preloaded, announced with numwant 0 (no offers, no
 * connection opened for it; it only answers). The Node full node's hot set (src/node/hotSeeds.ts) adds
 * its torrents the same way.
 */
export function txTorrentAddOptions(trackers: readonly string[], bytes: Uint8Array): TorrentAddOptions {
  return {
    announce: [...trackers],
    preloadedStore: new TxChunkStore(bytes),
    skipVerify: true,
    getAnnounceOpts: () => ({ numwant: 0 }),
  };
}

export class NetworkNode {
  readonly gossip: TxGossip;
  readonly discovery: TxDiscovery | undefined;
  private readonly seeded = new Map<string, TorrentLike>();
  private swarm: TorrentLike | undefined;
  private reannounce: ReturnType<typeof setInterval> | undefined;
  private lonely: ReturnType<typeof setInterval> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** Told BUSY: no early announce before this (Date.now), then the come-back announce. */
  private backoffUntil = 0;
  private comeBack: ReturnType<typeof setTimeout> | undefined;
  private readonly reconnect = new TrackerReconnect();
  private relayed: RelayedPeers | undefined;
  /** When the gossip last gained a peer, and its count then (TRACKERS_QUIET_MS). */
  private lastNewPeerAt = Date.now();
  private lastPeerCount = 0;

  constructor(
    private readonly client: WebTorrentLike,
    private readonly network: NetworkConfig,
    ledger: GossipLedger,
    private readonly events: GossipEvents = {},
    private readonly options: NetworkNodeOptions = {},
  ) {
    this.gossip = new TxGossip(
      ledger,
      {
        ...events,
        onAccepted: (items) => {
          // Creator and recipient seed each transaction's torrent; the ledger marks which are ours.
          for (const item of items) if (item.seed) this.seed(item.id, item.bytes);
          this.discovery?.noteHeld(items.map((item) => item.id));
          events.onAccepted?.(items);
        },
        onAnnounced: (ids) => {
          this.discovery?.noteAnnounced(ids);
          events.onAnnounced?.(ids);
        },
        onBusy: (peerId, retryAfterS) => {
          this.backOff(retryAfterS);
          events.onBusy?.(peerId, retryAfterS);
        },
        onPeersChanged: (count) => {
          if (count > this.lastPeerCount) this.lastNewPeerAt = Date.now();
          this.lastPeerCount = count;
          events.onPeersChanged?.(count);
        },
      },
      options.gossipClock,
      {
        ...(options.maxPeers !== undefined && { maxPeers: options.maxPeers }),
        ...(options.newcomerMs !== undefined && { newcomerMs: options.newcomerMs }),
      },
    );
    this.discovery =
      options.discovery &&
      new TxDiscovery(
        {
          client,
          gossip: this.gossip,
          ledger,
          trackers: network.trackers,
          onChange: () => events.onProgress?.(this.gossip.progress()),
          onMisbehaviour: (peer, problem) => events.onMisbehaviour?.(peer, problem),
        },
        options.discovery,
      );
  }

  /** Joins the network swarm. Resolves once the genesis torrent is ready (not when peers arrive). */
  async start(): Promise<void> {
    if (this.options.preloadInventory) this.gossip.loadInventory();
    const extension = this.gossip.extension();
    const bytes = this.network.genesisTx;
    this.swarm = await new Promise<TorrentLike>((resolve) => {
      const torrent = this.client.add(txTorrentFile(bytes), {
        announce: [...this.network.trackers],
        preloadedStore: new TxChunkStore(bytes),
        skipVerify: true,
      });
      resolveGlare(torrent, this.client.peerId, { onConnectionClosed: () => this.retrySoonIfLonely() });
      this.guardWires(torrent);
      // Registered synchronously after add(), before any wire exists: the extension must be in place
      // before the extended handshake goes out.
      torrent.on('wire', (wire) => {
        (wire as unknown as { use(ext: unknown): void }).use(extension);
      });
      torrent.once('ready', () => {
        // A preloaded torrent is done at once, and webtorrent then announces `completed` without offers
        // while its `started` announce still waits for ICE gathering. Registered early that way, two
        // nodes starting together each receive the other's offers, both answer, and webtorrent drops
        // both connections as duplicates (glare). 'ready' fires after discovery starts and before the
        // done check, so silencing `completed` here makes the offer-carrying `started` the one that
        // registers this node: of two nodes, only the later one's offers reach the earlier.
        const discovery = torrent.discovery as { complete?: () => void } | null | undefined;
        if (discovery) discovery.complete = () => {};
        resolve(torrent);
      });
    });
    this.seeded.set(this.network.genesisId, this.swarm);
    this.discovery?.start();
    this.reconnect.watch(this.swarm);
    this.startIntroductions(this.swarm);
    this.reannounce = setInterval(() => this.announceSeeds(), REANNOUNCE_MS);
    // The tracker's own interval is minutes; a node that missed its peers (a lost offer, glare with a
    // client that does not resolve it, a tracker restart) asks again sooner: every LONELY_MS with no
    // peer at all, every 4 × LONELY_MS while it has fewer than WANTED_PEERS. Each update opens up to 5
    // offers that live 50 s, so this holds at most ~20 pending connections, and ~5 once it has a peer.
    let ticks = 0;
    this.lonely = setInterval(() => {
      ticks++;
      const peers = this.gossip.peerCount;
      if (this.backingOff()) return;
      if (peers === 0 || (peers < WANTED_PEERS && ticks % 4 === 0)) this.lookForPeers();
    }, LONELY_MS);
  }

  /**
   * A peer said BUSY: announce no sooner than it asked (at most MAX_BACKOFF_S; the early re-announces wait), then
   * once, if this node still has fewer than WANTED_PEERS or still lacks transactions it knows of. The
   * tracker's own schedule goes on meanwhile, and so do the other peers.
   */
  private backOff(asked: number): void {
    const retryAfterS = Math.min(asked, MAX_BACKOFF_S);
    const until = Date.now() + retryAfterS * 1000;
    if (until <= this.backoffUntil) return;
    this.backoffUntil = until;
    clearTimeout(this.comeBack);
    this.comeBack = setTimeout(() => {
      this.comeBack = undefined;
      if (this.gossip.peerCount < WANTED_PEERS || this.gossip.progress().wanted > 0) this.lookForPeers();
    }, retryAfterS * 1000);
  }

  private backingOff(): boolean {
    return Date.now() < this.backoffUntil;
  }

  private startIntroductions(swarm: TorrentLike): void {
    const introductions = this.options.introductions;
    const createPeer = introductions?.createPeer ?? trackerRtcPeerFactory(swarm);
    // Without a WebSocket tracker there is no WebRTC here to open: the node still relays for others.
    if (!introductions || !createPeer) return;
    this.relayed = new RelayedPeers(
      {
        router: this.gossip.introductions,
        ownId: this.client.peerId,
        // The torrent itself: its addPeer is resolveGlare's, which settles duplicates and glare.
        swarm: swarm as unknown as IntroSwarm,
        createPeer,
        peerCount: () => this.gossip.peerCount,
        trackersQuiet: () => this.trackersQuiet(swarm),
        clock: () => Date.now(),
      },
      introductions.limits ?? TAB_PEER_LIMITS,
    );
    this.relayed.start();
  }

  /** No tracker brings peers: none is connected, or no new gossip peer came for TRACKERS_QUIET_MS. */
  private trackersQuiet(swarm: TorrentLike): boolean {
    const up = this.reconnect.stateOf(swarm).some(({ announce }) => announce.state === 'announced');
    return !up || Date.now() - this.lastNewPeerAt >= TRACKERS_QUIET_MS;
  }

  /** Announces to the swarm's trackers now, with offers: peers that are there answer. */
  lookForPeers(): void {
    const discovery = this.swarm?.discovery as { tracker?: { update?(): void } } | null | undefined;
    discovery?.tracker?.update?.();
  }

  /** After a connection closed: with no peer then, announce again in RETRY_AFTER_FAILURE_MS. */
  private retrySoonIfLonely(): void {
    // The closing wire may still count as a gossip peer now: the count is read when the timer fires.
    if (this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      if (this.gossip.peerCount === 0 && !this.backingOff()) this.lookForPeers();
      // Cleared one period later: at most one extra announce per RETRY_AFTER_FAILURE_MS.
      this.retry = setTimeout(() => (this.retry = undefined), RETRY_AFTER_FAILURE_MS);
    }, RETRY_AFTER_FAILURE_MS);
  }

  /** Sends transactions to the peers and seeds each as its own torrent. */
  publish(items: readonly AcceptedTx[]): void {
    this.gossip.publish(items);
    this.discovery?.noteHeld(items.map((item) => item.id));
    for (const item of items) this.seed(item.id, item.bytes);
  }

  /** Seeds one transaction's torrent (idempotent). */
  seed(id: string, bytes: Uint8Array): void {
    if (this.seeded.has(id)) return;
    const torrent = this.client.add(txTorrentFile(bytes), txTorrentAddOptions(this.network.trackers, bytes));
    this.guardWires(torrent);
    this.seeded.set(id, torrent);
    this.reconnect.watch(torrent);
  }

  /** Guards every wire of `torrent` from its 'wire' event (registered before any wire exists). */
  private guardWires(torrent: TorrentLike): void {
    torrent.on('wire', (wire) => {
      guardWireLength(wire, (problem) => this.events.onMisbehaviour?.(wire.peerId ?? 'unknown', problem));
    });
  }

  status(): NetworkNodeStatus {
    const progress = this.gossip.progress();
    const discovery = this.discovery?.status() ?? null;
    return {
      peers: this.gossip.peerCount,
      swarmWires: this.swarm?.numPeers ?? 0,
      seeding: this.seeded.size,
      sync: {
        ...progress,
        known: progress.accepted + Math.max(progress.wanted, discovery?.missing ?? 0),
        fetching: discovery?.fetching ?? 0,
      },
      discovery,
      announce: this.swarm ? this.reconnect.stateOf(this.swarm) : [],
      pendingOffers: this.swarm ? this.reconnect.pendingOffers(this.swarm) : 0,
      conflicts: this.gossip.conflicts.records.size,
      ledgerFailure: this.gossip.ledgerFailure,
      introductions: this.relayed
        ? { ...this.gossip.introductions.counts, ...this.relayed.counts, pending: this.relayed.pending }
        : null,
    };
  }

  private announceSeeds(): void {
    for (const [id, torrent] of this.seeded) {
      if (id !== this.network.genesisId) torrent.discovery?.tracker?.complete();
    }
  }

  destroy(): Promise<void> {
    clearInterval(this.reannounce);
    clearInterval(this.lonely);
    clearTimeout(this.retry);
    clearTimeout(this.comeBack);
    this.relayed?.destroy();
    this.discovery?.destroy();
    this.gossip.destroy();
    this.reconnect.destroy();
    return new Promise((resolve) => this.client.destroy(() => resolve()));
  }
}

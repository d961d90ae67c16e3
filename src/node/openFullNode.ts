// A headless full node in Node.js: the same core Ledger and NetworkNode as a browser tab, on webtorrent's
// Node package (WebRTC to browsers through node-datachannel, TCP to desktop BitTorrent clients, the
// mainline DHT), with the ledger in SQLite. It keeps every accepted transaction and seeds it: a bounded hot
// set of torrents, any other stored one on demand (hotSeeds.ts). `torrenttx node` and the devnet run it.
// Its RTCPeerConnections are bounded (rtcConnectionGate.ts): past its gossip share, newcomers are told to
// come back (BUSY, src/net/exchange/admission.ts), and a peer idle for a while gives its slot up.
import './nodeWebRtcEndOfCandidates.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import WebTorrent from 'webtorrent';
import { Ledger, type ReceiveResult } from '../core/ledger.ts';
import { txIdOf } from '../core/txId.ts';
import { encodeUtf8 } from '../core/utf8.ts';
import { gossipLedgerOf } from '../ledger/gossipLedgerOf.ts';
import type { DiscoveryOptions } from '../net/discovery/txDiscovery.ts';
import { NetworkNode } from '../net/networkNode.ts';
import type { PeerLimits } from '../net/introductions/relayedPeers.ts';
import type { NetworkConfig } from '../core/network.ts';
import type { RTCConfigurationLike, WebTorrentLike } from '../net/webTorrentTypes.ts';
import { SqliteLedgerStore } from '../storage/sqliteLedgerStore.ts';
import { HOT_TORRENTS, HotSeeds } from './hotSeeds.ts';
import { reannounceOnDhtGrowth } from './reannounceOnDhtGrowth.ts';
import { DEFAULT_MAX_CONNECTIONS, gossipPeersOf, RtcConnectionGate } from './rtcConnectionGate.ts';
import { RollingAnnouncer, type DhtAnnouncer } from './rollingAnnouncer.ts';
import { threadedChecker } from './threadedChecker.ts';
import { allowTrackerSocketListeners } from './trackerSocketListeners.ts';
import { MAX_CONCURRENT_FETCHES } from '../net/discovery/torrentFetchScheduler.ts';

/** Lines of an --import file received per ledger batch (one SQLite transaction each). */
export const IMPORT_BATCH = 1000;

/**
 * An always-on node seeks introductions like a tab (to 8 peers) but answers them up to as many gossip
 * peers as its connection maximum allows (rtcConnectionGate.ts): tabs that lost their tracker can still
 * reach it, and introductions never take it past the maximum the tracker's offers respect.
 */
export function fullNodePeerLimits(maxConnections: number): PeerLimits {
  return { target: 8, cap: gossipPeersOf(maxConnections) };
}

/**
 * Import batches handed to the ledger beyond the one it is deciding: their checks run (on the checker
 * threads, threadedChecker.ts) while it decides and writes. Each is still decided and
 * committed whole, in order.
 */
export const IMPORT_AHEAD = 2;

export interface FullNodeOptions {
  readonly network: NetworkConfig;
  /** Folder of this network's data: ledger.sqlite. Created if missing. */
  readonly dataDir: string;
  /** TCP port for BitTorrent peers, and UDP port of the DHT (0: any free one). */
  readonly port?: number;
  /** false: no DHT. Otherwise its bootstrap nodes (HOST:PORT); absent: the DHT's public defaults. */
  readonly dht?: false | { readonly bootstrap?: readonly string[]; readonly host?: string };
  /** Address WebRTC gathers ICE candidates on (node-datachannel bindAddress); tests use 127.0.0.1. */
  readonly rtcBindAddress?: string;
  readonly hotTorrents?: number;
  /** How long one round of announcing every cold accepted tx takes (rollingAnnouncer.ts). */
  readonly rollCycleMs?: number;
  readonly clock?: () => number;
  readonly onMisbehaviour?: (peerId: string, problem: string) => void;
  /** RTCPeerConnections at most, all torrents together (rtcConnectionGate.ts; default DEFAULT_MAX_CONNECTIONS). */
  readonly maxConnections?: number;
  /** A peer was turned away or let go for want of a slot (admission.ts). */
  readonly onTurnedAway?: (peerId: string, retryAfterS: number, released: boolean) => void;
  /**
   * Discovery (src/net/discovery/): where to read the tracker's record, if anywhere. The node always
   * counts what peers announce and fetches as torrents what no peer offers.
   */
  readonly discovery?: DiscoveryOptions;
}

export interface FullNodeStatus {
  readonly peers: number;
  readonly accepted: number;
  readonly stored: number;
  readonly hotTorrents: number;
  /** Cold transactions being answered on demand (unannounced). */
  readonly onDemandTorrents: number;
  /** Bare announces of cold transactions per second, on the rolling schedule (trackers and DHT). */
  readonly coldAnnouncesPerSecond: number;
  /** Of those sent since start, how many the HTTP trackers refused (a failure reason: their limits). */
  readonly coldAnnouncesRefused: number;
  readonly tcpPort: number | undefined;
  readonly dhtPort: number | undefined;
  /** RTCPeerConnections open now, the most at once since start, and the maximum (rtcConnectionGate.ts). */
  readonly connections: number;
  readonly connectionsPeak: number;
  readonly maxConnections: number;
  /** Since start: newcomers told to come back (BUSY or, if they do not read it, closed), idle peers let go
   * for them, and offers not answered for want of any room at all. */
  readonly turnedAway: number;
  readonly released: number;
  /** Since start: peers closed without blame for keeping the node waiting past a time-out (txGossip.ts). */
  readonly unresponsive: number;
  readonly declined: number;
  /** Offers that found no room and were answered once a connection closed; offers waiting so now. */
  readonly answeredLate: number;
  readonly offersWaiting: number;
}

export interface FullNode {
  readonly store: SqliteLedgerStore;
  readonly ledger: Ledger;
  readonly node: NetworkNode;
  readonly client: WebTorrentLike;
  /** Feeds tx.json byte strings through the ledger in IMPORT_BATCH batches (stopping between batches once
   * `signal` aborts); returns the count of new ones. */
  importLines(lines: readonly Uint8Array[], signal?: AbortSignal): Promise<number>;
  /** Joins the network swarm and starts seeding; resolves once the swarm torrent is ready. */
  start(): Promise<void>;
  status(): Promise<FullNodeStatus>;
  close(): Promise<void>;
}

/** Where the HTTP announce of a WebSocket tracker lives: the same host and port (trackerServer.ts). */
export function httpAnnounceOf(wsUrl: string): string | undefined {
  const match = /^ws(s?):\/\/([^/?#]+)/.exec(wsUrl);
  return match ? `http${match[1]}://${match[2]}/announce` : undefined;
}

/** Opens the ledger and makes the client; nothing goes online until start(). */
export async function openFullNode(options: FullNodeOptions): Promise<FullNode> {
  const { network } = options;
  const clock = options.clock ?? (() => Date.now());
  const genesisTx = encodeUtf8(network.genesisTx);
  if (txIdOf(genesisTx) !== network.genesisId) {
    throw new TypeError(`the network's genesisTx hashes to ${txIdOf(genesisTx)}, not ${network.genesisId}`);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const store = SqliteLedgerStore.open(join(options.dataDir, 'ledger.sqlite'), network.genesisId);
  // Checks 1–5 with node:crypto's Ed25519 behind the strict checks (nativeEd25519Verifier.ts), on
  // checker threads for whole batches (an import, a catch-up), on this thread for a few.
  const checker = threadedChecker();
  const ledger = new Ledger(
    store,
    { genesisId: network.genesisId, powUnit: BigInt(network.powUnit) },
    { holdOnlyCoverableFutures: true, checkBatch: checker.checkBatch },
  );
  await ledger.receive([genesisTx], clock());

  // Torrents on a tracker's pooled socket at once: the hot set, the discovery fetches and the swarm.
  allowTrackerSocketListeners((options.hotTorrents ?? HOT_TORRENTS) + MAX_CONCURRENT_FETCHES + 1);
  const gate = new RtcConnectionGate(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  const dht = options.dht ?? {};
  const client = new WebTorrent({
    dht: dht === false ? false : { ...dht, ...(dht.bootstrap ? { bootstrap: [...dht.bootstrap] } : {}) },
    lsd: false,
    utp: false,
    webSeeds: false,
    natUpnp: false,
    natPmp: false,
    torrentPort: options.port ?? 0,
    dhtPort: options.port ?? 0,
    tracker: {
      rtcConfig: {
        // The network's STUN/TURN servers, as the browsers use them: a node behind NAT needs them too.
        iceServers: (network.iceServers ?? []).map((server) => ({ ...server })),
        ...(options.rtcBindAddress ? { bindAddress: options.rtcBindAddress } : {}),
      } as RTCConfigurationLike,
      getAnnounceOpts: () => gate.announceOptions(),
    },
  } as ConstructorParameters<typeof WebTorrent>[0]) as unknown as WebTorrentLike;
  client.on('error', (err) => console.error(`torrenttx node: ${String(err)}`));
  gate.watch(client);
  const admitted = { turnedAway: 0, released: 0, unresponsive: 0 };
  reannounceOnDhtGrowth(client);

  // Browsers announce over WebSocket; desktop clients over HTTP on the same tracker (trackerServer.ts).
  const httpTrackers = network.trackers.map(httpAnnounceOf).filter((u): u is string => u !== undefined);
  const trackers = [...network.trackers, ...httpTrackers];
  const seeds = new HotSeeds(
    client,
    trackers,
    async (id) => {
      const record = await store.getTx(id);
      return record?.status === 'accepted' ? record.bytes : null;
    },
    { hot: options.hotTorrents ?? HOT_TORRENTS },
  );
  seeds.answerOnDemand();
  const node = new NetworkNode(
    client,
    { genesisId: network.genesisId, genesisTx, trackers: network.trackers },
    gossipLedgerOf(ledger, store, clock),
    {
      onAccepted: (items) => {
        for (const item of items) seeds.add(item.id, item.bytes);
      },
      ...(options.onMisbehaviour ? { onMisbehaviour: options.onMisbehaviour } : {}),
      onTurnedAway: (peerId, retryAfterS, released) => {
        if (released) admitted.released++;
        else admitted.turnedAway++;
        options.onTurnedAway?.(peerId, retryAfterS, released);
      },
      onUnresponsive: () => void admitted.unresponsive++,
    },
    {
      discovery: options.discovery ?? {},
      preloadInventory: true,
      maxPeers: gossipPeersOf(gate.max),
      // It relays introductions for tabs and answers them up to its gossip maximum (it serves a crowd).
      introductions: { limits: fullNodePeerLimits(gate.max) },
    },
  );

  const c = client as unknown as {
    address?(): { port: number } | null;
    dht?: (DhtAnnouncer & { address?(): { port: number } | null }) | false | null;
  };
  const tcpPort = (): number | undefined => {
    try {
      return c.address?.()?.port;
    } catch {
      return undefined; // not listening yet
    }
  };
  let announcer: RollingAnnouncer | undefined;
  let coldCount = 0;
  let started = false;
  let closed: Promise<void> | undefined;
  return {
    store,
    ledger,
    node,
    client,
    async importLines(lines, signal) {
      let added = 0;
      // One fsync for the whole load, at its end (SqliteLedgerStore.bulkLoad), not one per batch.
      await store.bulkLoad(async () => {
        const inFlight: Promise<ReceiveResult>[] = [];
        try {
          for (let i = 0; i < lines.length && !signal?.aborted; i += IMPORT_BATCH) {
            inFlight.push(ledger.receive(lines.slice(i, i + IMPORT_BATCH), clock()));
            if (inFlight.length > IMPORT_AHEAD) {
              const { outcomes } = await inFlight.shift()!;
              added += outcomes.filter((o) => o.kind === 'new').length;
            }
          }
          for (const { outcomes } of await Promise.all(inFlight.splice(0))) {
            added += outcomes.filter((o) => o.kind === 'new').length;
          }
        } finally {
          // A batch that failed: those handed on after it still settle before the load ends.
          await Promise.allSettled(inFlight);
        }
      });
      return added;
    },
    async start() {
      await node.start();
      started = true;
      // The most recent accepted transactions start hot; older ones are answered on demand.
      const ids = await store.acceptedIds();
      for (const id of ids.slice(-seeds.limit)) {
        if (id === network.genesisId) continue;
        const record = await store.getTx(id);
        if (record?.bytes) seeds.add(id, record.bytes);
      }
      // Counted now too, so status() reports the rate before the schedule's first tick.
      coldCount = Math.max(0, ids.length - seeds.size - 1);
      announcer = new RollingAnnouncer({
        ids: async () => {
          const all = await store.acceptedIds();
          coldCount = Math.max(0, all.length - seeds.size - 1);
          return all;
        },
        skip: (id) => id === network.genesisId || seeds.has(id),
        httpAnnounceUrls: httpTrackers,
        peerId: client.peerId,
        port: tcpPort,
        ...(c.dht ? { dht: c.dht } : {}),
        ...(options.rollCycleMs === undefined ? {} : { cycleMs: options.rollCycleMs }),
      });
    },
    async status() {
      const counts = await store.statusCounts();
      const dhtPort = c.dht ? (c.dht.address?.()?.port ?? undefined) : undefined;
      return {
        peers: started ? node.status().peers : 0,
        accepted: counts.accepted ?? 0,
        stored: await store.count(),
        hotTorrents: seeds.size,
        onDemandTorrents: seeds.onDemandSize,
        tcpPort: tcpPort(),
        dhtPort,
        coldAnnouncesPerSecond: announcer?.ratePerSecond(coldCount) ?? 0,
        coldAnnouncesRefused: announcer?.refused ?? 0,
        connections: gate.count,
        connectionsPeak: gate.peak,
        maxConnections: gate.max,
        turnedAway: admitted.turnedAway,
        released: admitted.released,
        unresponsive: admitted.unresponsive,
        declined: gate.declined,
        answeredLate: gate.answeredLate,
        offersWaiting: gate.waitingOffers,
      };
    },
    close: () =>
      (closed ??= (async () => {
        seeds.destroy();
        announcer?.destroy();
        gate.destroy();
        await node.destroy();
        await checker.close();
        store.close();
      })()),
  };
}

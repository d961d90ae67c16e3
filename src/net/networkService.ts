// The network worker's service: webtorrent behind the WebRTC bridge, the network swarm and gossip. It
// talks to the ledger worker directly over a MessagePort (comlink), so transaction bytes never pass
// through the page; the page only relays WebRTC signaling (src/net/rtcBridge/host.ts).
import { expose, wrap } from 'comlink';
import type { IceServer } from '../core/network.ts';
import type { AcceptedTx, GossipLedger } from './gossipLedger.ts';
import { NetworkNode, type NetworkNodeStatus } from './networkNode.ts';
import { scrapeRecordPage } from './discovery/scrapeRecordPage.ts';
import { scrapeSwarms } from './discovery/scrapeSwarms.ts';
import { TAB_PEER_LIMITS } from './introductions/relayedPeers.ts';
import type { RtcBridgeMode } from './rtcBridge/protocol.ts';
import { installRtcShim, type RtcShim } from './rtcBridge/shim.ts';
import { TrackerScraper, type Holders, type TrackerState } from './trackerScraper.ts';
import type { WebTorrentConstructor } from './webTorrentTypes.ts';

export interface NetworkStart {
  readonly genesisId: string;
  readonly genesisTx: Uint8Array;
  readonly trackers: readonly string[];
  /** STUN/TURN servers from the network config, for webtorrent's WebRTC connections. */
  readonly iceServers: readonly IceServer[];
  /** The tracker record of the network's server, read by discovery (src/net/discovery/), if it has one. */
  readonly recordUrl?: string;
  /** The page's end of this port is the WebRTC bridge host. */
  readonly rtcPort: MessagePort;
  /** The ledger worker exposes its GossipLedger on the other end. */
  readonly gossipPort: MessagePort;
  /** This service exposes `publish` here, for the ledger worker's own payments. */
  readonly publishPort: MessagePort;
}

export interface NetworkStatus extends NetworkNodeStatus {
  readonly trackers: { readonly url: string; readonly state: TrackerState }[];
  readonly bridge: RtcBridgeMode | null;
  readonly connections: number;
  readonly misbehaving: number;
  /** BUSYs this tab was told (a full node at its maximum asking it to come back; `npm run bench:crowd`). */
  readonly busy: number;
  readonly started: boolean;
}

export class NetworkService {
  private node: NetworkNode | undefined;
  private shim: RtcShim | undefined;
  private misbehaving = 0;
  private busy = 0;
  private scrapers: TrackerScraper[] = [];
  private readonly listeners = new Set<() => void>();

  async start(options: NetworkStart): Promise<RtcBridgeMode> {
    if (this.node) throw new Error('the network is already started');
    this.scrapers = options.trackers.map((url) => new TrackerScraper(url, () => this.changed()));
    for (const scraper of this.scrapers) scraper.connect();
    // The shim must exist before webtorrent's bundle is evaluated: its WebRTC layer reads
    // RTCPeerConnection off the global scope once, at load.
    this.shim = installRtcShim(options.rtcPort);
    const mode = await this.shim.ready;
    const { default: WebTorrent } = (await import('webtorrent/dist/webtorrent.min.js')) as {
      default: WebTorrentConstructor;
    };
    const client = new WebTorrent({
      dht: false,
      lsd: false,
      utp: false,
      webSeeds: false,
      tracker: { rtcConfig: { iceServers: [...options.iceServers] } },
    });
    client.on('error', (err) => console.error('webtorrent error:', err));
    client.on('warning', (err) => console.warn('webtorrent warning:', err));
    const ledger = wrap<GossipLedger>(options.gossipPort);
    this.node = new NetworkNode(
      client,
      { genesisId: options.genesisId, genesisTx: options.genesisTx, trackers: options.trackers },
      ledger,
      {
        onPeersChanged: () => this.changed(),
        onAccepted: () => this.changed(),
        onProgress: () => this.changed(),
        onLedgerFailed: () => this.changed(),
        onMisbehaviour: (peer, problem) => {
          this.misbehaving++;
          console.warn(`dropped peer ${peer}: ${problem}`);
          this.changed();
        },
        onBusy: () => {
          this.busy++;
          this.changed();
        },
      },
      // The record route of the network's server where there is one, its ids (hints: anyone can fill
      // the record) scraped before any is fetched; else the trackers' full scrape, swarms with peers.
      {
        discovery:
          options.recordUrl === undefined
            ? { fetchPage: scrapeRecordPage(this.scrapers) }
            : { recordUrl: options.recordUrl, probeSwarms: scrapeSwarms(this.scrapers) },
        // A tab keeps ~8–12 gossip peers, meeting them through its peers when the trackers bring none.
        introductions: { limits: TAB_PEER_LIMITS },
      },
    );
    expose({ publish: (items: AcceptedTx[]) => this.publish(items) }, options.publishPort);
    await this.node.start();
    return mode;
  }

  publish(items: AcceptedTx[]): void {
    this.node?.publish(items);
    this.changed();
  }

  /**
   * How many peers seed a transaction's torrent, by the first tracker that answers; null when none does.
   * The largest count wins across trackers: each knows only the peers that announced to it.
   */
  async holders(id: string): Promise<Holders | null> {
    const answers = await Promise.allSettled(this.scrapers.map((scraper) => scraper.scrape([id])));
    let best: Holders | null = null;
    for (const answer of answers) {
      if (answer.status !== 'fulfilled') continue;
      const found = answer.value.get(id) ?? { seeders: 0, leechers: 0 };
      if (!best || found.seeders > best.seeders) best = found;
    }
    return best;
  }

  /** How many peers showed they hold each of these transactions (src/net/evidence/holderCounts.ts). */
  heldBy(items: { id: string; since: number }[]): Record<string, number> {
    return this.node?.gossip.holders.counts(items) ?? {};
  }

  /** What the network panel shows. Reads only: lost tracker sockets reconnect on their own. */
  status(): NetworkStatus {
    const node = this.node?.status() ?? {
      peers: 0,
      swarmWires: 0,
      seeding: 0,
      sync: { accepted: 0, wanted: 0, known: 0, fetching: 0 },
      discovery: null,
      announce: [],
      pendingOffers: 0,
      conflicts: 0,
      ledgerFailure: null,
      introductions: null,
    };
    return {
      ...node,
      trackers: this.scrapers.map((scraper) => ({ url: scraper.url, state: scraper.state() })),
      bridge: this.shim?.mode() ?? null,
      connections: this.shim?.openConnections() ?? 0,
      misbehaving: this.misbehaving,
      busy: this.busy,
      started: this.node !== undefined,
    };
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

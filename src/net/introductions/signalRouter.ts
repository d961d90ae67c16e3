// Relays WebRTC signalling between peers over the gossip extension, and keeps the peer ids each peer
// shared, so that a node can meet new peers when no tracker introduces it (issue 18 item 3). It moves
// frames and keeps bounded state; it opens no connection itself (relayedPeers.ts does, through attach()).
//
// === Specification ===
//  1. A peer reads SIGNAL and PEERS frames when its extended handshake carries `ttxIntro: 1`
//     (introFrames.ts); none is sent to any other peer.
//  2. PEERS: each reading peer is told up to MAX_SHARED_PEERS ids of this node's other reading peers
//     (chosen at random) when it becomes ready, and again after that set changed, at most
//     PEERS_SEND_BURST at once then PEERS_SEND_PER_SECOND. Each frame replaces what that peer shared
//     before, so what is kept per peer is at most MAX_SHARED_PEERS ids, dropped when it goes.
//  3. SIGNAL out: an offer of this node goes to a reading peer that shared its target (sendOffer), with
//     ttl MAX_TTL; an answer goes back to the peer its offer came from (sendAnswer), with ttl MAX_TTL.
//     Every SIGNAL this node sends to a peer, its own or relayed, takes a token of that peer's send
//     bucket (SEND_BURST, then SEND_PER_SECOND); one without a token is not sent (dropped, counted).
//  4. SIGNAL in: each costs the sender a token of its receive bucket (RECEIVE_BURST, then
//     RECEIVE_PER_SECOND: the send burst plus what a MAX_STALL_S stall of this node queues, then twice
//     the send pace of 3, so an honest relay never breaks it); PEERS, likewise
//     (PEERS_RECEIVE_BURST, PEERS_RECEIVE_PER_SECOND). An empty bucket, a frame out of shape (introFrames:
//     an SDP over MAX_SDP_BYTES, a ttl of 0 or over MAX_TTL, a bad kind) is a violation: received()
//     returns the problem and the gossip disconnects the peer.
//  5. A SIGNAL for this node goes to the attached endpoint (relayedPeers.ts), with the peer it came by.
//  6. An offer for another node is passed on with ttl − 1 when that is at least 1: to the target if it
//     is a reading peer, else (ttl − 1 ≥ 2) to a reading peer that shared the target; never back to the
//     peer it came by. Its route (signal id → the peer it came by, the peer it went to, origin and
//     target) is kept ROUTE_MS, at most MAX_ROUTES at once; an offer whose signal id is already routed,
//     or that finds the table full or no next hop, is dropped. None of these is a violation: the sender
//     cannot know them.
//  7. An answer for another node is passed on only along a live route, from the peer the offer went to,
//     from the offer's target to its origin; the route is then spent. Anything else is dropped.
//  8. All per-peer state (buckets, shared ids) goes with the peer (peerGone); routes through a peer that
//     went expire with the others.
import { isLowerHex } from '../../core/hex.ts';
import { TokenBucket } from '../../rateLimit/tokenBucket.ts';
import {
  decodePeers,
  decodeSignal,
  encodePeers,
  encodeSignal,
  INTRO_HANDSHAKE_KEY,
  INTRO_HANDSHAKE_VERSION,
  MAX_SHARED_PEERS,
  MAX_TTL,
  PEERS_FRAME,
  SIGNAL_FRAME,
  type Signal,
} from './introFrames.ts';

/** SIGNAL frames sent to one peer at once, then per second (this node's own and those it relays). */
export const SEND_BURST = 8;
export const SEND_PER_SECOND = 1;
/**
 * The longest this node may stall (a long garbage collection, a loaded machine, a background tab's
 * throttled timers) with an honest peer's frames queued, and still find them within its buckets: they are
 * read at once when it wakes, and a bucket's burst caps what the stall refilled. The crowd bench saw
 * newcomers stall 15–30 s and drop the node for "shared peers too often" with a burst of 4.
 */
export const MAX_STALL_S = 60;
/** SIGNAL frames a peer may send at once, then per second: what an honest sender sends over a stall. */
export const RECEIVE_BURST = SEND_BURST + SEND_PER_SECOND * MAX_STALL_S;
export const RECEIVE_PER_SECOND = 2 * SEND_PER_SECOND;
/** PEERS frames sent to one peer at once, then per second (one every 5 s once the burst is spent). */
export const PEERS_SEND_BURST = 2;
export const PEERS_SEND_PER_SECOND = 0.2;
export const PEERS_RECEIVE_BURST = PEERS_SEND_BURST + PEERS_SEND_PER_SECOND * MAX_STALL_S;
export const PEERS_RECEIVE_PER_SECOND = 2 * PEERS_SEND_PER_SECOND;
/** Offers being relayed whose answer may still come back, and how long each is remembered. */
export const MAX_ROUTES = 256;
export const ROUTE_MS = 30_000;

/** Where a SIGNAL for this node goes: relayedPeers.ts. `via` is the key of the peer it came by. */
export interface SignalEndpoint {
  onOffer(signal: Signal, via: string): void;
  onAnswer(signal: Signal, via: string): void;
}

/** Frames relayed, dropped and delivered, for the status and the figures of the tests. */
export interface SignalCounts {
  forwarded: number;
  dropped: number;
  delivered: number;
}

interface RelayPeer {
  readonly peerId: string;
  readonly send: (frame: Uint8Array) => void;
  readonly out: TokenBucket;
  readonly in: TokenBucket;
  readonly peersOut: TokenBucket;
  readonly peersIn: TokenBucket;
  /** The ids it last shared (PEERS), at most MAX_SHARED_PEERS. */
  shared: readonly string[];
  /** The set of this node's peers changed since it was last told. */
  stale: boolean;
}

interface Route {
  readonly back: string;
  readonly next: string;
  readonly from: string;
  readonly to: string;
  readonly at: number;
}

export class SignalRouter {
  private readonly peers = new Map<string, RelayPeer>();
  private readonly routes = new Map<string, Route>();
  private ownId: string | undefined;
  private endpoint: SignalEndpoint | undefined;
  readonly counts: SignalCounts = { forwarded: 0, dropped: 0, delivered: 0 };

  constructor(private readonly clock: () => number) {}

  /** Whether a peer's extended handshake says it reads SIGNAL and PEERS frames. */
  static reads(handshake: Record<string, unknown>): boolean {
    return handshake[INTRO_HANDSHAKE_KEY] === INTRO_HANDSHAKE_VERSION;
  }

  /** What this node adds to its own extended handshake. */
  static advertise(handshake: Record<string, unknown>): void {
    handshake[INTRO_HANDSHAKE_KEY] = INTRO_HANDSHAKE_VERSION;
  }

  /** Signals for `ownId` go to `endpoint` from now on (before, they are dropped as unroutable). */
  attach(ownId: string, endpoint: SignalEndpoint): void {
    this.ownId = ownId;
    this.endpoint = endpoint;
  }

  peerReady(key: string, peerId: string, reads: boolean, send: (frame: Uint8Array) => void): void {
    // A repeated handshake: its buckets stay as they are.
    if (!reads || this.peers.has(key)) return;
    const now = () => this.clock();
    this.peers.set(key, {
      peerId,
      send,
      out: new TokenBucket(SEND_BURST, SEND_PER_SECOND, now),
      in: new TokenBucket(RECEIVE_BURST, RECEIVE_PER_SECOND, now),
      peersOut: new TokenBucket(PEERS_SEND_BURST, PEERS_SEND_PER_SECOND, now),
      peersIn: new TokenBucket(PEERS_RECEIVE_BURST, PEERS_RECEIVE_PER_SECOND, now),
      shared: [],
      stale: true,
    });
    this.peersChanged();
  }

  peerGone(key: string): void {
    if (this.peers.delete(key)) this.peersChanged();
  }

  /** Whether `frame` (by its first byte) is one of this module's. */
  static handles(frame: Uint8Array): boolean {
    return frame[0] === SIGNAL_FRAME || frame[0] === PEERS_FRAME;
  }

  /** A frame from peer `key`: a problem (the gossip disconnects the peer) or undefined. */
  received(key: string, frame: Uint8Array): string | undefined {
    const peer = this.peers.get(key);
    if (!peer) return 'sent an introduction frame it did not say it reads';
    if (frame[0] === PEERS_FRAME) {
      if (!peer.peersIn.take()) return 'shared peers too often';
      const ids = decodePeers(frame);
      if (!ids.ok) return `sent ${ids.problem}`;
      peer.shared = ids.value.filter((id) => id !== this.ownId && id !== peer.peerId);
      return undefined;
    }
    if (!peer.in.take()) return 'sent signals too fast';
    const signal = decodeSignal(frame);
    if (!signal.ok) return `sent ${signal.problem}`;
    this.route(key, signal.value);
    return undefined;
  }

  private route(key: string, signal: Signal): void {
    this.expire();
    if (signal.to === this.ownId) {
      if (!this.endpoint) return void this.counts.dropped++;
      this.counts.delivered++;
      if (signal.kind === 'offer') this.endpoint.onOffer(signal, key);
      else this.endpoint.onAnswer(signal, key);
      return;
    }
    const ttl = signal.ttl - 1;
    if (ttl < 1 || signal.from === this.ownId) return void this.counts.dropped++;
    if (signal.kind === 'answer') {
      const route = this.routes.get(signal.signalId);
      if (!route || route.next !== key || route.to !== signal.from || route.from !== signal.to) {
        return void this.counts.dropped++;
      }
      this.routes.delete(signal.signalId);
      this.forward(route.back, { ...signal, ttl });
      return;
    }
    if (this.routes.has(signal.signalId) || this.routes.size >= MAX_ROUTES) return void this.counts.dropped++;
    const next = this.nextHop(signal.to, ttl, key);
    if (next === undefined) return void this.counts.dropped++;
    // Routed before it goes: its answer may come back before send() returns.
    const { from, to } = signal;
    this.routes.set(signal.signalId, { back: key, next, from, to, at: this.clock() });
    if (!this.forward(next, { ...signal, ttl })) this.routes.delete(signal.signalId);
  }

  /** The peer to pass a signal for `to` on to: `to` itself, else (with room for one more hop) one that shared it. */
  private nextHop(to: string, ttl: number, cameBy: string | undefined): string | undefined {
    let viaShared: string | undefined;
    for (const [key, peer] of this.peers) {
      if (key === cameBy) continue;
      if (peer.peerId === to) return key;
      if (viaShared === undefined && ttl >= 2 && peer.shared.includes(to)) viaShared = key;
    }
    return viaShared;
  }

  private forward(key: string, signal: Signal): boolean {
    if (!this.sendTo(key, signal)) return false;
    this.counts.forwarded++;
    return true;
  }

  private sendTo(key: string, signal: Signal): boolean {
    const peer = this.peers.get(key);
    if (!peer || !peer.out.take()) {
      this.counts.dropped++;
      return false;
    }
    peer.send(encodeSignal(signal));
    return true;
  }

  /** Sends this node's offer for `to` by a peer that shared it; false when none can take it now. */
  sendOffer(to: string, signalId: string, sdp: string): boolean {
    if (!this.ownId) return false;
    const via = this.nextHop(to, MAX_TTL, undefined);
    if (via === undefined) return false;
    return this.sendTo(via, { kind: 'offer', ttl: MAX_TTL, signalId, from: this.ownId, to, sdp });
  }

  /** Sends this node's answer to the offer `offer` back by the peer it came by. */
  sendAnswer(offer: Signal, via: string, sdp: string): boolean {
    if (!this.ownId) return false;
    const answer: Signal = {
      kind: 'answer',
      ttl: MAX_TTL,
      signalId: offer.signalId,
      from: this.ownId,
      to: offer.from,
      sdp,
    };
    return this.sendTo(via, answer);
  }

  /** Peer ids this node's peers shared that are not its peers themselves: whom it can be introduced to. */
  candidates(): string[] {
    const direct = new Set([...this.peers.values()].map((peer) => peer.peerId));
    const found = new Set<string>();
    for (const peer of this.peers.values()) {
      for (const id of peer.shared) if (!direct.has(id) && id !== this.ownId) found.add(id);
    }
    return [...found];
  }

  /** Reading peers now. */
  get size(): number {
    return this.peers.size;
  }

  /** Sends each peer that is owed one (and has room) a fresh PEERS frame. Called on the gossip's tick. */
  tick(): void {
    this.expire();
    for (const [key, peer] of this.peers) {
      if (!peer.stale || !peer.peersOut.take()) continue;
      peer.stale = false;
      peer.send(encodePeers(this.sample(key)));
    }
  }

  /** Up to MAX_SHARED_PEERS ids of reading peers other than `key`, at random. */
  private sample(key: string): string[] {
    const ids = [...this.peers]
      .filter(([other, peer]) => other !== key && isLowerHex(peer.peerId, 20))
      .map(([, peer]) => peer.peerId);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    return [...new Set(ids)].slice(0, MAX_SHARED_PEERS);
  }

  private peersChanged(): void {
    for (const peer of this.peers.values()) peer.stale = true;
  }

  private expire(): void {
    const now = this.clock();
    // Insertion order is age order: stop at the first that is still live.
    for (const [id, route] of this.routes) {
      if (now - route.at < ROUTE_MS) break;
      this.routes.delete(id);
    }
  }

  /** Routes held now (for tests of the bound). */
  get routeCount(): number {
    return this.routes.size;
  }
}

// The full node's bound on its RTCPeerConnections (issue 18 item 2): `torrenttx node --max-connections`.
// Every WebRTC connection a webtorrent client makes is made by one of its torrents' WebSocket trackers
// (bittorrent-tracker's client), either as one of its own offers or as the answer to a peer's offer the
// tracker relays. The gate hooks those trackers, on every torrent of the client, and counts the
// connections they make until each is destroyed.
//
// === Specification ===
//  1. At most `max` connections are open at once (made and not yet destroyed), counting every torrent's,
//     pending and connected alike: the count is checked before each one is made, never after.
//  2. A peer's offer is answered only while fewer than `max` are open. One that finds no room waits in
//     line (at most MAX_WAITING_OFFERS, oldest answered first) and is answered when a connection closes,
//     if it is younger than OFFER_WAIT_MS then (the offerer gives up on it at 50 s); an offer pushed out
//     of a full line or too old is declined (never answered; counted in `declined`). That is the hard
//     floor under the come-back path: the node never opens a connection it has no room for, a crowd
//     arriving at once is answered in turn (and told BUSY if gossip is full), and an offerer whose offer
//     was declined re-announces on its own schedule.
//  3. The node's own offers never use the reserve (reserveOf(max)), and at most ownOffersOf(max) of them
//     wait for an answer at once: per announce at most min(5, max − reserve − open, that cap − waiting).
//     An offer waits up to 50 s, often for nobody (a tracker's swarm is empty when the node announces),
//     and must not take the room that answering newcomers (to serve them or tell them BUSY) needs.
//  4. Gossip takes at most gossipPeersOf(max) = max − reserve of them (NetworkNode `maxPeers`): the
//     reserve is where a newcomer past that is answered, told BUSY and closed (src/net/exchange/admission.ts),
//     and where transaction torrents are fetched from.
//  5. `peak` is the most connections open at any one time since the gate was made.
// Trackers made before the gate saw them (a torrent's first announce, inside webtorrent's Discovery
// constructor) are clamped by the client's own announce options (announceOptions()) and their pending
// offers are counted when the gate hooks them.
import type { WebTorrentLike } from '../net/webTorrentTypes.ts';

/** A full node's default maximum: ~100 loopback connections cost the bench's node ~N MB (docs). */
export const DEFAULT_MAX_CONNECTIONS = 100;
/** The smallest maximum that leaves gossip two slots besides the reserve. */
export const MIN_MAX_CONNECTIONS = 4;
/** bittorrent-tracker makes at most this many offers per announce. */
const OFFERS_PER_ANNOUNCE = 5;
/** Offers held for room at most (rule 2): an SDP offer is ~1–2 KB. */
export const MAX_WAITING_OFFERS = 256;
/** An offer older than this is declined rather than answered (its offerer waits 50 s for an answer). */
export const OFFER_WAIT_MS = 30_000;
/** While offers wait, room is looked for this often too (a connection can close without an event). */
const WAITING_CHECK_MS = 1000;

/** Rule 3: the connections kept for answering newcomers, whether to serve them or to say BUSY. */
export function reserveOf(max: number): number {
  return Math.max(2, Math.ceil(max / 8));
}

/** Rule 3: the node's own offers waiting for an answer, at most. */
export function ownOffersOf(max: number): number {
  return Math.max(1, Math.floor(gossipPeersOf(max) / 4));
}

/** Rule 4: the gossip peers a node with `max` connections keeps. */
export function gossipPeersOf(max: number): number {
  return max - reserveOf(max);
}

export class ConnectionLimitError extends Error {
  override readonly name = 'ConnectionLimitError';
}

/** The parts of a simple-peer connection the gate reads. */
interface SimplePeerLike {
  readonly _pc?: { readonly connectionState?: string; close(): void } | null;
  readonly connected?: boolean;
  once(event: 'close' | 'error' | 'connect', listener: () => void): unknown;
}

/** The parts of bittorrent-tracker's WebSocketTracker the gate wraps (its own methods, per instance). */
interface WebSocketTrackerLike {
  announce(opts: { event?: string; numwant?: number }): void;
  _onAnnounceResponse(data: Record<string, unknown>): void;
  _createPeer(opts?: unknown): SimplePeerLike;
  _generateOffers: unknown;
  readonly peers?: Record<string, SimplePeerLike>;
  readonly socket?: { readonly connected?: boolean } | null;
  readonly destroyed?: boolean;
}

/** An offer waiting for room: the tracker it came through, and its own answering path. */
interface WaitingOffer {
  readonly tracker: WebSocketTrackerLike;
  readonly answer: () => void;
  readonly at: number;
}

interface TrackerClientLike {
  readonly _trackers?: unknown[];
}

interface DiscoveryLike {
  tracker?: TrackerClientLike | null;
}

interface GatedTorrent {
  discovery?: DiscoveryLike | null;
}

function isWebSocketTracker(t: unknown): t is WebSocketTrackerLike {
  const c = t as Partial<WebSocketTrackerLike> | null;
  return !!c && typeof c._onAnnounceResponse === 'function' && typeof c._generateOffers === 'function';
}

/**
 * Closed: its RTCPeerConnection is, not merely its simple-peer destroyed (which closes the connection a
 * turn later: counting it gone sooner would let the next one open while it still is).
 */
function isGone(peer: SimplePeerLike): boolean {
  return !peer._pc || peer._pc.connectionState === 'closed';
}

/** Calls `hook` with `object[key]` now, if it is set, and with every value assigned to it from now on. */
function onEverySet<T extends object, K extends keyof T>(
  object: T,
  key: K,
  hook: (value: NonNullable<T[K]>) => void,
): void {
  let value = object[key];
  if (value) hook(value);
  Object.defineProperty(object, key, {
    configurable: true,
    enumerable: true,
    get: () => value,
    set: (next: T[K]) => {
      value = next;
      if (next) hook(next);
    },
  });
}

export class RtcConnectionGate {
  private readonly open = new Set<SimplePeerLike>();
  /** Of those, this node's own offers not yet connected (rule 3). */
  private readonly ownOffers = new Set<SimplePeerLike>();
  private readonly hooked = new WeakSet<object>();
  /** Rule 5. */
  peak = 0;
  /** Offers not answered for want of room (rule 2). */
  declined = 0;
  /** Offers that waited in line and were answered. */
  answeredLate = 0;
  private readonly waiting: WaitingOffer[] = [];
  private check: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly max: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(max) || max < MIN_MAX_CONNECTIONS) {
      throw new ConnectionLimitError(
        `the connection maximum must be a whole number ≥ ${MIN_MAX_CONNECTIONS}, got ${max}`,
      );
    }
  }

  /** Connections open now (rule 1). */
  get count(): number {
    for (const peer of this.open) if (isGone(peer)) this.open.delete(peer);
    return this.open.size;
  }

  /** Rule 3: offers this node may make now. */
  offerRoom(): number {
    const room = this.max - reserveOf(this.max) - this.count; // sweeps the closed ones out of `open`
    for (const peer of this.ownOffers)
      if (!this.open.has(peer) || peer.connected) this.ownOffers.delete(peer);
    const own = ownOffersOf(this.max) - this.ownOffers.size;
    return Math.max(0, Math.min(OFFERS_PER_ANNOUNCE, room, own));
  }

  /**
   * For the client's `tracker.getAnnounceOpts`: the first announce of a tracker the gate has not hooked
   * yet takes its offer count from here (a torrent's own getAnnounceOpts, numwant 0 for transaction
   * torrents, comes after and wins).
   */
  announceOptions(): { numwant: number } {
    return { numwant: this.offerRoom() };
  }

  /** Hooks every torrent `client` adds from now on (call before the first add). */
  watch(client: WebTorrentLike): void {
    const add = client.add.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { add: typeof add }).add = (...args: unknown[]) => {
      const torrent = add(...args) as GatedTorrent;
      this.hookTorrent(torrent);
      return torrent;
    };
  }

  /** Hooks the torrent's discovery now if it has one, and whenever webtorrent sets it. */
  private hookTorrent(torrent: GatedTorrent): void {
    onEverySet(torrent, 'discovery', (discovery) => this.hookDiscovery(discovery));
  }

  /** Discovery makes its tracker client again when the port changes: hook each one it sets. */
  private hookDiscovery(discovery: DiscoveryLike): void {
    if (this.hooked.has(discovery)) return;
    this.hooked.add(discovery);
    onEverySet(discovery, 'tracker', (client) => this.hookTrackerClient(client));
  }

  private hookTrackerClient(client: TrackerClientLike): void {
    for (const t of client._trackers ?? []) if (isWebSocketTracker(t)) this.hookTracker(t);
  }

  private hookTracker(tracker: WebSocketTrackerLike): void {
    if (this.hooked.has(tracker)) return;
    this.hooked.add(tracker);
    // Offers it made before it was hooked (its first announce).
    for (const peer of Object.values(tracker.peers ?? {})) this.track(peer, true);
    const createPeer = tracker._createPeer.bind(tracker);
    tracker._createPeer = (opts?: unknown) => {
      const peer = createPeer(opts);
      this.track(peer, (opts as { initiator?: boolean } | undefined)?.initiator === true);
      return peer;
    };
    const announce = tracker.announce.bind(tracker);
    tracker.announce = (opts) => {
      // Offers are made now only if the socket is open; otherwise the tracker calls announce() again on
      // connecting, and the room is read then.
      const withOffers = opts.event !== 'stopped' && opts.event !== 'completed';
      if (withOffers && tracker.socket?.connected) {
        return announce({
          ...opts,
          numwant: Math.min(opts.numwant ?? OFFERS_PER_ANNOUNCE, this.offerRoom()),
        });
      }
      return announce(opts);
    };
    const onAnnounceResponse = tracker._onAnnounceResponse.bind(tracker);
    tracker._onAnnounceResponse = (data) => {
      if (data.offer && this.count >= this.max) {
        // The offer alone waits; the rest of the message (interval, counts) is read now.
        const { action, offer, offer_id, peer_id, info_hash } = data;
        this.wait({
          tracker,
          answer: () => onAnnounceResponse({ action, offer, offer_id, peer_id, info_hash }),
          at: this.now(),
        });
        return onAnnounceResponse({ ...data, offer: undefined });
      }
      return onAnnounceResponse(data);
    };
  }

  /** Rule 2: in line, the oldest pushed out (declined) past MAX_WAITING_OFFERS. */
  private wait(offer: WaitingOffer): void {
    this.waiting.push(offer);
    if (this.waiting.length > MAX_WAITING_OFFERS) {
      this.waiting.shift();
      this.declined++;
    }
    this.check ??= setInterval(() => this.answerWaiting(), WAITING_CHECK_MS);
  }

  /** Answers waiting offers, oldest first, while there is room; declines those too old. */
  private answerWaiting(): void {
    while (this.waiting.length > 0 && this.count < this.max) {
      const offer = this.waiting.shift()!;
      if (offer.tracker.destroyed || this.now() - offer.at > OFFER_WAIT_MS) {
        this.declined++;
        continue;
      }
      this.answeredLate++;
      offer.answer();
    }
    if (this.waiting.length === 0) {
      clearInterval(this.check);
      this.check = undefined;
    }
  }

  /** Offers waiting for room now. */
  get waitingOffers(): number {
    return this.waiting.length;
  }

  /** Stops looking for room; waiting offers are dropped (the client is closing). */
  destroy(): void {
    clearInterval(this.check);
    this.check = undefined;
    this.waiting.length = 0;
  }

  private track(peer: SimplePeerLike, own: boolean): void {
    if (this.open.has(peer)) return;
    this.open.add(peer);
    if (own) {
      this.ownOffers.add(peer);
      peer.once('connect', () => this.ownOffers.delete(peer));
    }
    const pc = peer._pc;
    if (!pc) return void this.open.delete(peer); // simple-peer could not make one
    const close = pc.close.bind(pc);
    pc.close = () => {
      close();
      this.open.delete(peer);
      this.ownOffers.delete(peer);
      // Answered on a later turn, not inside the closing connection's own call.
      if (this.waiting.length > 0) setImmediate(() => this.answerWaiting());
    };
    this.peak = Math.max(this.peak, this.count);
  }
}

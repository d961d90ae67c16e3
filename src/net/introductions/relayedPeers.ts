// WebRTC connections opened through introductions: this node's offers relayed by a peer to peers that
// peer shared (signalRouter.ts), and the relayed offers it answers. Each connection is handed to the
// network swarm torrent (`addPeer`, as webtorrent's tracker client does), so it becomes a gossip wire
// like any other; resolveGlare.ts, which wraps `addPeer`, settles duplicates there.
//
// === Specification ===
//  1. Every SEEK_MS, while the trackers are quiet (all down, or no new gossip peer for a while: the node
//     says which, networkNode.ts) and this node has fewer than `target` gossip peers counting the
//     connections it is opening, it offers to candidates (ids its peers shared, signalRouter.ts) it is
//     not connected or connecting to and did not try within RETRY_CANDIDATE_MS: at most
//     MAX_OFFERING offers pending at once, never more than it needs to reach `target`.
//  2. An offer that found no peer to carry it is closed at once; one unanswered after OFFER_TIMEOUT_MS
//     is closed. An answer from the offer's target, carrying its signal id, completes it: the connection
//     goes to the swarm under the target's id. Other answers are ignored.
//  3. A relayed offer is answered unless: its origin is connected or connecting already; this node has
//     `cap` gossip peers counting those it opens; MAX_ANSWERING answers are in progress; or it offered
//     to that origin itself and has the lower id (glare: both sides keep the offer of the lower id, as
//     resolveGlare.ts does). Otherwise its own offer to that origin, if any, is closed, and the answer
//     goes back by the peer the offer came by. An answer not connected after OFFER_TIMEOUT_MS is closed.
//  4. So the node never opens a connection past `cap`, and holds at most MAX_OFFERING + MAX_ANSWERING
//     connections in progress, and MAX_TRIED remembered candidates, each for RETRY_CANDIDATE_MS.
import type { Signal } from './introFrames.ts';
import { newSignalId } from './introFrames.ts';
import type { RtcPeer, RtcPeerFactory } from './rtcPeer.ts';
import type { SignalEndpoint, SignalRouter } from './signalRouter.ts';

/** How often the node checks whether to seek introductions, and expires what is in progress. */
export const SEEK_MS = 2000;
export const OFFER_TIMEOUT_MS = 20_000;
export const MAX_OFFERING = 4;
export const MAX_ANSWERING = 8;
export const RETRY_CANDIDATE_MS = 60_000;
export const MAX_TRIED = 256;

/** A tab keeps about this many gossip peers (issue 18: ~8–12), and opens no connection past the cap. */
export interface PeerLimits {
  readonly target: number;
  readonly cap: number;
}
export const TAB_PEER_LIMITS: PeerLimits = { target: 8, cap: 12 };

/** The network swarm torrent as this uses it: `addPeer` as resolveGlare.ts wraps it, webtorrent's peers. */
export interface IntroSwarm {
  addPeer(peer: unknown, source?: string): unknown;
  readonly _peers: Map<string, unknown>;
}

export interface RelayedPeersDeps {
  readonly router: SignalRouter;
  readonly ownId: string;
  readonly swarm: IntroSwarm;
  readonly createPeer: RtcPeerFactory;
  /** Gossip peers now. */
  readonly peerCount: () => number;
  /** Whether no tracker is bringing peers (all down, or nothing new for a while). */
  readonly trackersQuiet: () => boolean;
  readonly clock: () => number;
}

/** What introductions did, for the status and the figures of the tests. */
export interface IntroductionCounts {
  offered: number;
  answered: number;
  /** Relayed connections that connected (either side). */
  connected: number;
}

interface InProgress {
  readonly peer: RtcPeer;
  readonly remote: string;
  readonly at: number;
}

export class RelayedPeers implements SignalEndpoint {
  /** This node's offers waiting for an answer, by signal id. */
  private readonly offering = new Map<string, InProgress>();
  /** Offers it answered, not yet connected, by signal id. */
  private readonly answering = new Map<string, InProgress>();
  /** Candidates tried, and when. */
  private readonly tried = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  readonly counts: IntroductionCounts = { offered: 0, answered: 0, connected: 0 };

  constructor(
    private readonly deps: RelayedPeersDeps,
    private readonly limits: PeerLimits = TAB_PEER_LIMITS,
  ) {}

  start(): void {
    this.deps.router.attach(this.deps.ownId, this);
    this.timer = setInterval(() => this.seek(), SEEK_MS);
  }

  /** Connections being opened now. */
  get pending(): number {
    return this.offering.size + this.answering.size;
  }

  /** Offers to candidates when the trackers are quiet and the node has fewer than its target. */
  seek(): void {
    this.expire();
    if (!this.deps.trackersQuiet()) return;
    const room = Math.min(
      this.limits.target - this.deps.peerCount() - this.pending,
      MAX_OFFERING - this.offering.size,
    );
    if (room <= 0) return;
    const now = this.deps.clock();
    const fresh = this.deps.router.candidates().filter((id) => this.canOpen(id) && !this.tried.has(id));
    for (const id of fresh.slice(0, room)) {
      this.remember(id, now);
      this.offer(id);
    }
  }

  private offer(to: string): void {
    const signalId = newSignalId();
    const peer = this.open(true);
    this.offering.set(signalId, { peer, remote: to, at: this.deps.clock() });
    peer.once('signal', (data) => {
      if (!this.offering.has(signalId)) return;
      if (data.type === 'offer' && data.sdp && this.deps.router.sendOffer(to, signalId, data.sdp)) {
        this.counts.offered++;
        return;
      }
      this.offering.delete(signalId);
      peer.destroy();
    });
  }

  onAnswer(signal: Signal): void {
    const pending = this.offering.get(signal.signalId);
    if (!pending || pending.remote !== signal.from) return;
    this.offering.delete(signal.signalId);
    if (pending.peer.destroyed) return;
    pending.peer.id = signal.from;
    this.deps.swarm.addPeer(pending.peer, 'manual');
    if (!pending.peer.destroyed) pending.peer.signal({ type: 'answer', sdp: signal.sdp });
  }

  onOffer(signal: Signal, via: string): void {
    const from = signal.from;
    if (this.deps.swarm._peers.has(from) || this.isAnswering(from)) return;
    if (this.deps.peerCount() + this.pending >= this.limits.cap || this.answering.size >= MAX_ANSWERING)
      return;
    const mine = [...this.offering].find(([, pending]) => pending.remote === from);
    if (mine) {
      if (this.deps.ownId < from) return; // glare: our offer stands, theirs yields
      this.offering.delete(mine[0]);
      mine[1].peer.destroy();
    }
    const peer = this.open(false);
    peer.id = from;
    this.answering.set(signal.signalId, { peer, remote: from, at: this.deps.clock() });
    peer.once('signal', (data) => {
      if (data.type !== 'answer' || !data.sdp || !this.deps.router.sendAnswer(signal, via, data.sdp)) {
        this.answering.delete(signal.signalId);
        peer.destroy();
        return;
      }
      this.counts.answered++;
    });
    peer.once('connect', () => this.answering.delete(signal.signalId));
    peer.once('close', () => this.answering.delete(signal.signalId));
    // As webtorrent's tracker client does: the swarm takes the connection, then the offer is applied.
    this.deps.swarm.addPeer(peer, 'manual');
    if (!peer.destroyed) peer.signal({ type: 'offer', sdp: signal.sdp });
  }

  private open(initiator: boolean): RtcPeer {
    const peer = this.deps.createPeer({ initiator });
    // Before the swarm takes it, an error is this module's to handle (simple-peer destroys itself too);
    // a stream 'error' with no listener would throw.
    peer.on('error', () => peer.destroy());
    peer.once('connect', () => this.counts.connected++);
    return peer;
  }

  private canOpen(id: string): boolean {
    return (
      id !== this.deps.ownId &&
      !this.deps.swarm._peers.has(id) &&
      !this.isOffering(id) &&
      !this.isAnswering(id)
    );
  }

  private isOffering(id: string): boolean {
    for (const pending of this.offering.values()) if (pending.remote === id) return true;
    return false;
  }

  private isAnswering(id: string): boolean {
    for (const pending of this.answering.values()) if (pending.remote === id) return true;
    return false;
  }

  private remember(id: string, now: number): void {
    this.tried.set(id, now);
    // The oldest goes first: insertion order is age order.
    while (this.tried.size > MAX_TRIED) this.tried.delete(this.tried.keys().next().value!);
  }

  private expire(): void {
    const now = this.deps.clock();
    for (const [id, at] of this.tried) {
      if (now - at < RETRY_CANDIDATE_MS) break;
      this.tried.delete(id);
    }
    for (const map of [this.offering, this.answering]) {
      for (const [signalId, pending] of map) {
        if (now - pending.at < OFFER_TIMEOUT_MS) continue;
        map.delete(signalId);
        if (!pending.peer.connected) pending.peer.destroy();
      }
    }
  }

  destroy(): void {
    clearInterval(this.timer);
    for (const map of [this.offering, this.answering]) {
      for (const pending of map.values()) if (!pending.peer.connected) pending.peer.destroy();
      map.clear();
    }
  }
}

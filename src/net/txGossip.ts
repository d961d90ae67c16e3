// Gossip of transactions over the `ut_ttx` extension (version 2) in the network swarm. It moves bytes and
// applies the ledger's verdicts; it decides nothing itself.
//
// The exchange, per connected peer:
// - Set reconciliation. On connect, and every RESYNC_MS after the last one ended, each side runs a
//   reconciliation of the accepted set ordered by (tx time, id) with the other (src/net/sync/), as the
//   side that asks. It learns the ids the peer has and it lacks ("need"); the peer learns nothing it did
//   not ask for. Each side asks for its own difference, at its own pace.
// - Requests are paced by the asker. Ids to fetch (from reconciliation, HAVE, or an orphan's parent) go
//   to the request tracker (src/net/exchange/txRequestTracker.ts), which keeps at most a bounded number
//   in flight per peer, spreads them over the peers that have them, and asks another peer when one
//   times out or says NOTFOUND. While a peer has many announcements waiting, the reconciliation with it
//   pauses (back-pressure) and resumes as they are fetched.
// - Answers are sent as asked: WANT ids are queued per peer (at most MAX_SERVE_QUEUE) and answered in
//   order, TX for what this node holds as accepted or held, NOTFOUND for the rest; answering pauses while
//   the peer's wire has SERVE_PAUSE_BYTES queued (src/net/exchange/serveBackpressure.ts).
// - Relay: a transaction this node newly accepts is announced (HAVE, batched) to every peer but the one
//   it came from, when it is fresh (time within RELAY_FRESH_MS of now); older ones travel by
//   reconciliation only. The node's own payments are pushed as TX to every peer (one hop less).
// - Received TX bytes are checked against the claimed id, queued, and handed to the ledger in batches of
//   at most MAX_BATCH, in arrival order.
// - Introductions: SIGNAL and PEERS frames (relayed WebRTC signalling, shared peer ids) go to
//   src/net/introductions/signalRouter.ts, which keeps their bounds; a problem it reports is a violation.
//
// Bounds, and what breaking them costs (a protocol violation disconnects the peer and bans it):
// - What a peer sends unasked is charged to its token buckets: HAVE frames and SYNC messages we answer
//   (UNASKED_BURST, then UNASKED_PER_SECOND), TX we did not request (UNASKED_TX_BURST, then
//   UNASKED_TX_PER_SECOND); an empty bucket is a violation. What we asked for (TX answering our WANT,
//   SYNC_REPLY to our SYNC) is never charged to them: an honest peer serving our requests cannot be
//   dropped. Reconciliation, both ways, is charged the work each message cost, and the peer's sessions
//   and their rounds are counted (src/net/sync/syncBudget.ts: a tenth of a core per peer after a burst
//   of about twice the dearest honest session, so an honest peer stays well inside). All peers together
//   get the node's share (src/net/sync/nodeSyncShare.ts, 15% of a core): past it their messages wait
//   their turn, never refused, so peers that reconnect with fresh ids and fresh budgets cost no more.
// - HAVE ids beyond the tracker's total bound are ignored, never a violation (reconciliation finds them
//   later); beyond the peer's own cap (it announced more than it delivers), a violation.
// - Every continuation after an `await` in a peer's handler checks that peer's `alive` first: nothing of
//   a closed peer (requests, announcements, held transactions it owns) is re-created after it left.
// - A SYNC before our reply to its last one, a SYNC_REPLY with no SYNC outstanding, a malformed
//   reconciliation message, WANTs beyond MAX_SERVE_QUEUE (asking faster than it reads), a NOTFOUND for
//   an id the peer itself offered, or an orphan whose parent the peer that pushed it cannot give:
//   violations (an honest node offers only what it holds, and holds the parents of what it accepted).
// - Time-outs are not violations: a peer that leaves MAX_TIMEOUTS requests in a row unanswered, or a SYNC
//   unanswered SYNC_REPLY_TIMEOUT_MS, is closed to free its slot but not banned (it may come back at
//   once), and the wait is measured on the wait clock (src/net/exchange/waitClock.ts), which leaves out
//   this node's own stalls: answers that wait unread in its sockets while it is busy are not late.
// - With `maxPeers` (a full node: its connection maximum less a reserve), at most that many gossip peers;
//   past it a newcomer takes the slot of a peer idle IDLE_RELEASE_MS, or is told BUSY (come back after a
//   while) and closed, never silently dropped and never blamed (src/net/exchange/admission.ts).
import { writeOneChunkPerMessage } from './oneChunkPerMessage.ts';
import { txIdOf } from '../core/txId.ts';
import { isDishonest } from '../core/verdict.ts';
import type { AcceptedTx, GossipLedger, GossipReceipt, GossipVerdict } from './gossipLedger.ts';
import { TokenBucket } from '../rateLimit/tokenBucket.ts';
import {
  chunkIds,
  decodeFrame,
  encodeHave,
  encodeNotFound,
  encodeSync,
  encodeSyncReply,
  encodeTxFrame,
  encodeTxFrames,
  BATCH_HANDSHAKE_KEY,
  BATCH_HANDSHAKE_VERSION,
  encodeWant,
  encodeBusy,
  BUSY_HANDSHAKE_KEY,
  BUSY_HANDSHAKE_VERSION,
  EXTENSION_NAME,
  MAX_IDS_PER_FRAME,
  WIRE_VERSION,
} from './txWireProtocol.ts';
import { MAX_SYNC_ROUNDS, SyncInventory, type SyncSession } from './sync/syncInventory.ts';
import { SyncBudget } from './sync/syncBudget.ts';
import { NodeSyncShare, WIRE_UNITS_PER_BYTE } from './sync/nodeSyncShare.ts';
import { BanList } from './exchange/banList.ts';
import { heldToDrop, MAX_HELD_PER_PEER, MAX_HELD_TOTAL, type HeldEntry } from './exchange/heldPolicy.ts';
import { TxRequestTracker } from './exchange/txRequestTracker.ts';
import {
  BUSY_LINGER_MS,
  idlestPeer,
  releasedRetryAfterS,
  retryAfterS,
  soonestRelease,
} from './exchange/admission.ts';
import { roomToSend } from './exchange/serveBackpressure.ts';
import { WaitClock } from './exchange/waitClock.ts';
import { CONFLICT_FRAME } from './evidence/conflictFrame.ts';
import { gossipFrameName } from './gossipFrameNames.ts';
import { ConflictRelay } from './evidence/conflictRelay.ts';
import { HolderCounts } from './evidence/holderCounts.ts';
import { wasNoConflict } from './evidence/evidenceOutcome.ts';
import { SignalRouter } from './introductions/signalRouter.ts';

/** Unasked frames (HAVE, SYNC) a peer may send at once, then per second. */
export const UNASKED_BURST = 500;
export const UNASKED_PER_SECOND = 200;
/**
 * Transactions a peer may push unasked at once, then per second. Only a transaction's creator pushes it
 * (relays are announced, then asked for), and no person or shop signs 20 payments a second for long.
 */
export const UNASKED_TX_BURST = 100;
export const UNASKED_TX_PER_SECOND = 20;
/**
 * Pushed transactions the node takes from all newcomers together (peers connected less than
 * NEWCOMER_MS), at once then per second; past it they are ignored (as never received), and each
 * ignored push costs its sender IGNORED_PUSH_COST of its own bucket. A peer that comes back with a
 * fresh id has a fresh bucket of its own: three such rogues pushing orphans held a node at 40% of a
 * core (issue 16 item 1), ~0.4 ms each through the ledger.
 * Peers connected for longer keep their own bucket only, so an established honest payer is never
 * ignored whatever newcomers do; a newcomer's payment ignored here still arrives where its payer's other
 * peers accept and announce it, or at the next reconciliation.
 */
export const NODE_UNASKED_TX_BURST = 200;
export const NODE_UNASKED_TX_PER_SECOND = 50;
export const NEWCOMER_MS = 60_000;
/** Tokens of its own UNASKED_TX_BURST a newcomer's push costs when the newcomers' share ignores it. */
export const IGNORED_PUSH_COST = 4;
/** Ids a peer may have asked of us and not yet been answered. Its own pacing keeps far below. */
export const MAX_SERVE_QUEUE = 1000;
/** Ids answered per ledger lookup while serving. */
export const SERVE_CHUNK = 100;
/** Transactions handed to the ledger at once: progress shows per batch, and no batch stalls the UI. */
export const MAX_BATCH = 256;
/** Batches handed to the ledger at once: the next one's signature checks overlap this one's writes. */
export const LEDGER_CALLS_IN_FLIGHT = 3;
/** New requests are sent only while fewer received transactions than this wait for the ledger. */
export const INBOX_AHEAD = 2 * MAX_BATCH;
/** Received transactions waiting for the ledger, at most; past it, unasked ones are dropped. */
export const MAX_INBOX = 4096;
/** While this many announcements from a peer wait to be fetched, reconciliation with it pauses. */
export const SYNC_PAUSE_AT = 2000;
/** Reconcile again with each peer this long after the last reconciliation ended. */
export const RESYNC_MS = 60_000;
/**
 * An answer to a SYNC is computed within the node's share (bounded work); a peer that gives none this
 * long (on the wait clock) is gone, and closed without blame.
 */
export const SYNC_REPLY_TIMEOUT_MS = 30_000;
/** Newly accepted transactions younger than this are announced to peers; older ones reconcile. */
export const RELAY_FRESH_MS = 10 * 60_000;
/** How often time-outs are checked and requests sent. */
export const TICK_MS = 250;
/** Unsolicited orphans from one peer still waiting on a parent it was asked for. */
export const MAX_PUSHED_ORPHANS = 100;
/** How often held transactions are checked against the hold policy (src/net/exchange/heldPolicy.ts). */
export const HELD_CHECK_MS = 5000;
/**
 * Requests to one peer that may time out in a row before it is closed (without blame): a whole window of
 * them means it is gone or offered what it does not have (an honest peer answers within the time-out,
 * counted on the wait clock).
 */
export const MAX_TIMEOUTS = 100;
/** Futures from one peer that the hold policy may decline before the peer is dropped. */
export const MAX_DROPPED_PER_PEER = 10;

/** The part of a bittorrent-protocol Wire that gossip uses. */
export interface GossipWire {
  extendedHandshake: Record<string, unknown>;
  peerExtendedHandshake: Record<string, unknown>;
  extended(name: string, payload: Uint8Array): void;
  destroy(): void;
  once(event: 'close', listener: () => void): unknown;
  peerId?: string;
  remoteAddress?: string;
}

export interface SyncProgress {
  /** Transactions this node has accepted. */
  readonly accepted: number;
  /** Ids it knows it lacks: announced or found by reconciliation, not yet fetched. */
  readonly wanted: number;
}

export interface GossipEvents {
  /** A peer was disconnected for misbehaving. */
  onMisbehaviour?(peerId: string, problem: string, address?: string): void;
  onPeersChanged?(count: number): void;
  /** Transactions this node newly accepted through gossip (after relay). */
  onAccepted?(items: AcceptedTx[]): void;
  /** After every batch the ledger decided. */
  onProgress?(progress: SyncProgress): void;
  /** Ids a peer announced (HAVE, reconciliation) that this node lacks: the discovery record counts them. */
  onAnnounced?(ids: string[]): void;
  /**
   * The ledger rejected a batch (storage quota, SQLITE_FULL, a write failure): its `lost` transactions
   * were not decided and count as never received (reconciliation fetches them again); later batches are
   * still handed to the ledger.
   */
  onLedgerFailed?(failure: LedgerFailure): void;
  /**
   * This node had no gossip slot for a peer (admission.ts): it let an idle one go (`released`) or turned
   * a newcomer away, telling it to come back after `retryAfterS` if it reads BUSY.
   */
  onTurnedAway?(peerId: string, retryAfterS: number, released: boolean): void;
  /** A peer said it is full (BUSY) and closed: come back to it after `retryAfterS`. */
  onBusy?(peerId: string, retryAfterS: number): void;
  /** A peer kept this node waiting past a time-out and was closed, without blame (`problem` says how). */
  onUnresponsive?(peerId: string, problem: string): void;
}

export interface GossipOptions {
  /** Gossip peers at most (admission.ts); absent: any number. */
  readonly maxPeers?: number;
  /** Randomness of the come-back delays (default Math.random). */
  readonly random?: () => number;
  /** How long a new peer shares the newcomers' bucket of pushes (default NEWCOMER_MS; tests shorten it). */
  readonly newcomerMs?: number;
}

/** The last batch the ledger rejected: what the network status shows. */
export interface LedgerFailure {
  readonly message: string;
  /** Transactions of that batch, not decided. */
  readonly lost: number;
  /** When, on the gossip's clock. */
  readonly at: number;
}

/** Bytes of gossip frames sent and received, by frame type: for the benchmarks and the network panel. */
export interface GossipTraffic {
  readonly sent: Record<string, number>;
  readonly received: Record<string, number>;
}

function count(into: Record<string, number>, frame: Uint8Array): void {
  const name = gossipFrameName(frame);
  into[name] = (into[name] ?? 0) + frame.length;
}

let nextPeerKey = 0;

/** A peer's reconciliation message waiting for the node's share of work. */
interface SyncJob {
  readonly peer: GossipPeer;
  run(inventory: SyncInventory): void;
}

class GossipPeer {
  /** Unique per connection: the request tracker's key (a peer id may come back on a new wire). */
  readonly key = `p${++nextPeerKey}`;
  readonly unasked = new TokenBucket(UNASKED_BURST, UNASKED_PER_SECOND);
  readonly unaskedTxs = new TokenBucket(UNASKED_TX_BURST, UNASKED_TX_PER_SECOND);
  /** Reconciliation work it made this node do, both roles (set when it is added). */
  syncBudget: SyncBudget | undefined;
  /**
   * The session's one guard: false from the moment its wire closed or it was dropped. Every handler
   * checks it after each `await`, so that nothing of a closed peer is re-created after it left.
   */
  alive = true;
  /** Dropped for misbehaving: what it made this node hold is dropped, even if decided later. */
  misbehaved = false;
  ready = false;
  /** It reads TXS frames (its extended handshake says so): answers go to it several to a frame. */
  readsBatches = false;
  /** It reads BUSY frames (`ttxBusy: 1`): it is told when this node has no slot for it. */
  readsBusy = false;
  /** Turned away or let go for want of a slot, or it said BUSY: what it sends now is ignored, unblamed. */
  turnedAway = false;
  /** When it last asked this node for something (WANT, SYNC), or joined: its idleness (admission.ts). */
  lastAskedAt = 0;
  /** Our reconciliation with this peer: the session, and whether a SYNC awaits its reply. */
  session: SyncSession | undefined;
  awaitingReply = false;
  /** It sent a SYNC that we have not answered yet (it waits for the node's share). */
  answeringSync = false;
  /** When the SYNC awaiting its reply went out (on the wait clock), and when our current reconciliation began. */
  syncSentAt = 0;
  sessionStartedAt = 0;
  /** When its handshake made it a gossip peer (on the gossip's clock). */
  addedAt = 0;
  startingSync = false;
  pumpScheduled = false;
  /** A SYNC held back while this peer's announcements are being fetched (back-pressure). */
  pausedSync: Uint8Array | undefined;
  lastSyncEnd = -Infinity;
  /** Ids it asked of us, not yet answered, in order. */
  serveQueue: string[] = [];
  serving = false;
  /** Parents of orphans it pushed unasked, which it must give us (it accepted their children). */
  readonly pushedOrphans = new Set<string>();
  /** Fresh accepted ids to announce to it on the next flush. */
  relay: string[] = [];
  /** Futures it sent that the ledger's hold policy declined. */
  dropped = 0;
  /** How many of the held transactions (TxGossip.held) it sent: at most MAX_HELD_PER_PEER. */
  heldCount = 0;
  /** Requests to it that timed out since it last answered one. */
  timeouts = 0;

  constructor(
    readonly wire: GossipWire,
    private readonly traffic: GossipTraffic,
  ) {}

  get id(): string {
    return this.wire.peerId ?? 'unknown';
  }

  /** Sends transactions, several to a frame where it reads TXS. */
  sendTxs(items: readonly { id: string; bytes: Uint8Array }[]): void {
    if (this.readsBatches) for (const frame of encodeTxFrames(items)) this.send(frame);
    else for (const { id, bytes } of items) this.send(encodeTxFrame(id, bytes));
  }

  send(frame: Uint8Array): void {
    count(this.traffic.sent, frame);
    try {
      this.wire.extended(EXTENSION_NAME, frame);
    } catch {
      // The wire closed under us; its 'close' handler removes the peer.
    }
  }
}

interface Inbound {
  readonly peer: GossipPeer;
  readonly id: string;
  readonly bytes: Uint8Array;
  /** An answer to our WANT (else pushed unasked: its sender vouches for its parent). */
  readonly asked: boolean;
  /** Came in a CONFLICT frame (numbered per node, of `size` spends): its sender recorded the double spend. */
  readonly evidence?: { readonly frame: number; readonly size: number };
}

export class TxGossip {
  private readonly peers = new Map<string, GossipPeer>();
  private readonly requests = new TxRequestTracker();
  /** Held transactions peers made this node keep: who sent each, and since when (the hold policy's input). */
  private readonly held = new Map<string, HeldEntry>();
  private lastHeldCheck = 0;
  /** Peers dropped for misbehaving, refused for a while when they come back (by id and by address). */
  private readonly banned = new BanList();
  private inbox: Inbound[] = [];
  /**
   * Ids received and not yet decided by the ledger (in the inbox or in a batch with it), with how many
   * copies: an announcement of one of them is not requested again (the request tracker forgets an id as
   * soon as its bytes arrive). Bounded by the inbox and the batches in flight.
   */
  private readonly arriving = new Map<string, number>();
  private draining: Promise<void> | undefined;
  /** The last batch the ledger rejected, if any (onLedgerFailed). */
  ledgerFailure: LedgerFailure | null = null;
  private inventory: SyncInventory | undefined;
  private loading: Promise<SyncInventory> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  /** Reconciliation messages of every peer, answered or read in turn within the node's share. */
  private readonly syncWork: NodeSyncShare<SyncJob>;
  /** What peers are judged by for keeping this node waiting: its clock less its own stalls (waitClock.ts). */
  private readonly waits: WaitClock;
  private drainingSyncWork = false;
  private flushScheduled = false;
  private accepted = 0;
  /** Pushed transactions of all newcomers together (NODE_UNASKED_TX_BURST). */
  private readonly newcomersTxs = new TokenBucket(NODE_UNASKED_TX_BURST, NODE_UNASKED_TX_PER_SECOND);
  /** CONFLICT frames queued so far: each frame's number (judgeEvidence). */
  private evidenceFrames = 0;
  readonly traffic: GossipTraffic = { sent: {}, received: {} };
  /** Double spends known, and their evidence passed on (src/net/evidence/conflictRelay.ts). */
  readonly conflicts = new ConflictRelay(() => this.clock());
  /** Which peers showed they hold which transactions: the wallet's "held by k peers". */
  readonly holders = new HolderCounts(() => this.clock());
  /** Relayed WebRTC signalling and shared peer ids (src/net/introductions/signalRouter.ts). */
  readonly introductions = new SignalRouter(() => this.clock());

  constructor(
    private readonly ledger: GossipLedger,
    private readonly events: GossipEvents = {},
    private readonly clock: () => number = () => Date.now(),
    private readonly options: GossipOptions = {},
  ) {
    this.syncWork = new NodeSyncShare(clock());
    this.waits = new WaitClock(clock());
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  get peerCount(): number {
    return [...this.peers.values()].filter((p) => p.ready).length;
  }

  /** How far this node is: what the UI shows while catching up. */
  progress(): SyncProgress {
    return { accepted: this.accepted, wanted: this.requests.size().ids };
  }

  /** What the exchange keeps, for tests and status: held ids the hold policy tracks, the request tracker's totals. */
  exchangeState(): { held: string[]; requests: ReturnType<TxRequestTracker['size']> } {
    return { held: [...this.held.keys()], requests: this.requests.size() };
  }

  /** The extension constructor to pass to `wire.use(...)` for every wire of the network swarm. */
  extension(): new (wire: GossipWire) => object {
    // bittorrent-protocol constructs extensions itself (`new Extension(wire)`), so the class reaches this
    // gossip through the closure.
    const gossip = this; // eslint-disable-line @typescript-eslint/no-this-alias
    class TxExtension {
      private readonly peer: GossipPeer;

      constructor(wire: GossipWire) {
        writeOneChunkPerMessage(wire);
        this.peer = new GossipPeer(wire, gossip.traffic);
        wire.extendedHandshake.ttx = WIRE_VERSION;
        wire.extendedHandshake[BATCH_HANDSHAKE_KEY] = BATCH_HANDSHAKE_VERSION;
        wire.extendedHandshake[BUSY_HANDSHAKE_KEY] = BUSY_HANDSHAKE_VERSION;
        ConflictRelay.advertise(wire.extendedHandshake);
        SignalRouter.advertise(wire.extendedHandshake);
        wire.once('close', () => gossip.removePeer(this.peer));
      }

      onExtendedHandshake(handshake: Record<string, unknown>): void {
        if (handshake.ttx !== WIRE_VERSION) return; // another version: stay silent, keep the torrent wire
        if (gossip.isBanned(this.peer)) return this.peer.wire.destroy();
        if (this.peer.ready || this.peer.turnedAway) return; // a repeated handshake changes nothing
        this.peer.readsBatches = handshake[BATCH_HANDSHAKE_KEY] === BATCH_HANDSHAKE_VERSION;
        this.peer.readsBusy = handshake[BUSY_HANDSHAKE_KEY] === BUSY_HANDSHAKE_VERSION;
        if (!gossip.hasSlotFor(this.peer)) return;
        void gossip.addPeer(this.peer, ConflictRelay.reads(handshake), SignalRouter.reads(handshake));
      }

      onMessage(payload: Uint8Array): void {
        gossip.onFrame(this.peer, payload);
      }
    }
    Object.defineProperty(TxExtension.prototype, 'name', { value: EXTENSION_NAME });
    return TxExtension;
  }

  /** Sends transactions this node made or was handed (a faucet payment) to every peer, as TX. */
  publish(items: readonly AcceptedTx[]): void {
    void this.added(items);
    this.settle(items.map((item) => item.id)); // held futures decided on the ledger's timer come this way
    for (const peer of this.peers.values()) {
      if (peer.ready) peer.sendTxs(items);
    }
  }

  destroy(): void {
    clearInterval(this.timer);
  }

  /** Loads the accepted set from the ledger ahead of the first reconciliation that needs it. */
  loadInventory(): void {
    this.sets().catch((err: unknown) => {
      // The first reconciliation asks again, and reports what goes wrong then.
      this.loading = undefined;
      console.warn('could not load the accepted set yet:', err);
    });
  }

  /** The accepted set, loaded from the ledger once. */
  private sets(): Promise<SyncInventory> {
    this.loading ??= this.ledger.inventory().then((inventory) => {
      this.inventory = SyncInventory.from(inventory);
      this.accepted = this.inventory.size;
      return this.inventory;
    });
    return this.loading;
  }

  /** Held transactions that got a verdict (or were dropped) no longer count against their senders. */
  private settle(ids: readonly string[]): void {
    for (const id of ids) {
      const entry = this.held.get(id);
      if (!entry) continue;
      this.held.delete(id);
      const sender = entry.from === null ? undefined : this.peers.get(entry.from);
      if (sender) sender.heldCount--;
    }
  }

  /** Drops what the hold policy says: expired, and past the total bound (PROTOCOL §5 allows it). */
  private enforceHoldPolicy(now: number): void {
    this.lastHeldCheck = now;
    const drop = heldToDrop([...this.held.values()], now, new Set());
    if (drop.length === 0) return;
    this.settle(drop);
    void this.ledger.dropHeld(drop);
  }

  private async added(items: readonly AcceptedTx[]): Promise<void> {
    const inventory = await this.sets();
    for (const item of items) if (inventory.add(item.time, item.id)) this.accepted++;
  }

  private async addPeer(
    peer: GossipPeer,
    readsConflicts: boolean,
    readsIntroductions: boolean,
  ): Promise<void> {
    if (!peer.alive) return;
    peer.syncBudget = new SyncBudget(this.clock(), RESYNC_MS, MAX_SYNC_ROUNDS);
    peer.addedAt = this.clock();
    peer.lastAskedAt = peer.addedAt;
    peer.ready = true;
    this.peers.set(peer.key, peer);
    this.conflicts.peerReady(peer.key, readsConflicts, (frame) => peer.send(frame));
    this.introductions.peerReady(peer.key, peer.id, readsIntroductions, (frame) => peer.send(frame));
    this.events.onPeersChanged?.(this.peerCount);
    await this.startSync(peer);
  }

  private removePeer(peer: GossipPeer): void {
    peer.alive = false;
    if (!this.peers.delete(peer.key)) return;
    this.conflicts.peerGone(peer.key);
    this.introductions.peerGone(peer.key);
    this.requests.peerGone(peer.key);
    this.syncWork.forget((job) => job.peer === peer);
    this.events.onPeersChanged?.(this.peerCount);
    this.pumpAll();
  }

  /**
   * Admission (admission.ts rule 2): true when `peer` may become a gossip peer, after letting an idle
   * one go if every slot is taken; false when it was turned away.
   */
  private hasSlotFor(peer: GossipPeer): boolean {
    const max = this.options.maxPeers;
    if (max === undefined || this.peerCount < max) return true;
    const now = this.clock();
    const holders = [...this.peers.values()]
      .filter((p) => p.ready)
      .map((p) => ({
        peer: p,
        lastAskedAt: p.lastAskedAt,
        busy: p.serving || p.serveQueue.length > 0 || p.answeringSync || this.requests.announced(p.key) > 0,
      }));
    const idle = idlestPeer(holders, now);
    if (idle) {
      this.turnAway(idle.peer, true);
      return true;
    }
    this.turnAway(peer, false, soonestRelease(holders, now));
    return false;
  }

  /** Tells `peer` to come back later (if it reads BUSY) and closes it, without blame (admission.ts). */
  private turnAway(peer: GossipPeer, released: boolean, soonestReleaseMs?: number): void {
    const random = this.options.random ?? Math.random;
    const retryAfter = released ? releasedRetryAfterS(random) : retryAfterS(random, soonestReleaseMs);
    peer.turnedAway = true;
    this.removePeer(peer);
    this.events.onTurnedAway?.(peer.id, retryAfter, released);
    if (!peer.readsBusy) return peer.wire.destroy();
    peer.send(encodeBusy(retryAfter));
    // It closes on reading BUSY; one that does not is closed here. The timer holds only a closed wire.
    setTimeout(() => peer.wire.destroy(), BUSY_LINGER_MS);
  }

  /** A peer said BUSY: its session ends without blame; the node backs off from it (networkNode.ts). */
  private onBusy(peer: GossipPeer, retryAfter: number): void {
    peer.turnedAway = true;
    this.removePeer(peer);
    peer.wire.destroy();
    this.events.onBusy?.(peer.id, retryAfter);
  }

  /**
   * A peer kept this node waiting past a time-out (on the wait clock): it is closed to free its slot, but
   * neither banned nor counted as misbehaving. A time-out proves nothing: an honest peer can be slow (a
   * stall of its own, a throttled tab, a crowd on one node), and it must be able to come back at once; a
   * silent rogue gains nothing by coming back, as it could hold a slot as long by answering minimally.
   */
  private letGo(peer: GossipPeer, problem: string): void {
    if (!peer.alive) return;
    peer.turnedAway = true; // what crosses the close on the wire is ignored
    this.removePeer(peer);
    peer.wire.destroy();
    this.events.onUnresponsive?.(peer.id, problem);
  }

  private isBanned(peer: GossipPeer): boolean {
    return this.banned.isBanned({ id: peer.wire.peerId, address: peer.wire.remoteAddress }, this.clock());
  }

  private misbehaved(peer: GossipPeer, problem: string, { evidenceToo = false } = {}): void {
    if (peer.misbehaved) return;
    peer.misbehaved = true;
    this.banned.ban({ id: peer.wire.peerId, address: peer.wire.remoteAddress }, this.clock());
    this.events.onMisbehaviour?.(peer.id, problem, peer.wire.remoteAddress);
    this.removePeer(peer);
    peer.wire.destroy();
    // What it pushed unasked and the ledger has not seen yet is not handed to it: the sender's word is
    // worth nothing now. Answers to our own requests stay (we asked for those ids; no one else may), and
    // so does evidence of a double spend (signed twice by the spender, whoever passed it on), unless its
    // evidence is what it was dropped for. Whatever of those the ledger holds is dropped in
    // actOnAfterLeaving.
    const unread = (item: Inbound) => item.peer === peer && !item.asked && (evidenceToo || !item.evidence);
    const discarded = this.inbox.filter(unread);
    if (discarded.length > 0) {
      this.inbox = this.inbox.filter((item) => !unread(item));
      this.decided(discarded);
    }
    // What it made this node hold goes with it (PROTOCOL §5: a dropped held tx counts as never received);
    // what the ledger decides later from a batch already handed to it is dropped in actOnAfterLeaving.
    const held = [...this.held.values()].filter((entry) => entry.from === peer.key).map((entry) => entry.id);
    this.settle(held);
    if (held.length > 0) void this.ledger.dropHeld(held);
  }

  private async startSync(peer: GossipPeer): Promise<void> {
    if (peer.session || peer.startingSync || !this.peers.has(peer.key)) return;
    peer.startingSync = true;
    const inventory = await this.sets();
    peer.startingSync = false;
    if (!peer.alive) return;
    // While holders of watched ids are checked, the session reports what the peer lacks (holderCounts.ts).
    peer.session = inventory.startSession(this.holders.checkStarted(peer.key, (id) => inventory.has(id)));
    peer.sessionStartedAt = this.clock();
    this.sendSync(peer, peer.session.first);
  }

  private onFrame(peer: GossipPeer, payload: Uint8Array): void {
    // Frames that crossed our BUSY (or followed theirs) on the wire: nobody is at fault (admission.ts rule 4).
    if (peer.turnedAway) return;
    if (!peer.ready) return this.misbehaved(peer, 'sent a frame before the handshake');
    count(this.traffic.received, payload);
    if (payload[0] === CONFLICT_FRAME) return this.onConflict(peer, payload);
    if (SignalRouter.handles(payload)) {
      const problem = this.introductions.received(peer.key, payload);
      return problem === undefined ? undefined : this.misbehaved(peer, problem);
    }
    const frame = decodeFrame(payload);
    switch (frame.type) {
      case 'bad':
        return this.misbehaved(peer, frame.problem);
      case 'tx':
        return this.onTx(peer, frame.id, frame.bytes);
      case 'txs':
        for (const { id, bytes } of frame.items) {
          this.onTx(peer, id, bytes);
          if (!this.peers.has(peer.key)) return; // dropped for one of them: the rest go unread
        }
        return;
      case 'have':
        if (!peer.unasked.take()) return this.misbehaved(peer, 'sent unasked frames too fast');
        void this.onHave(peer, frame.ids);
        return;
      case 'want':
        peer.lastAskedAt = this.clock();
        return this.onWant(peer, frame.ids);
      case 'notfound':
        return this.onNotFound(peer, frame.ids);
      case 'sync':
        peer.lastAskedAt = this.clock();
        if (!peer.unasked.take()) return this.misbehaved(peer, 'sent unasked frames too fast');
        // An honest initiator sends its next message only after our reply to the last one.
        if (peer.answeringSync) return this.misbehaved(peer, 'sent a SYNC before its last one was answered');
        peer.answeringSync = true;
        return this.queueSyncWork(peer, (inventory) => this.onSync(peer, frame.message, inventory));
      case 'sync-reply':
        if (!peer.awaitingReply || !peer.session) return this.misbehaved(peer, 'sent an unasked SYNC_REPLY');
        peer.awaitingReply = false;
        return this.queueSyncWork(peer, () => this.onSyncReply(peer, frame.message));
      case 'busy':
        return this.onBusy(peer, frame.retryAfterS);
    }
  }

  private onTx(peer: GossipPeer, id: string, bytes: Uint8Array): void {
    const asked = this.requests.requestedFrom(id) === peer.key;
    if (!asked && !peer.unaskedTxs.take()) return this.misbehaved(peer, 'pushed transactions too fast');
    // Dropped unasked (the inbox full, or the newcomers' share of pushes spent): counts as never received,
    // and costs no more than this (not even hashing its bytes).
    const newcomer = this.clock() - peer.addedAt < (this.options.newcomerMs ?? NEWCOMER_MS);
    if (!asked && newcomer && !this.newcomersTxs.take()) {
      // While the newcomers' share is spent (a flood), a push it ignores costs its sender more of its own
      // bucket: a rogue on a fresh id is cut off after ~25 frames, not 100 (each frame it sends costs
      // this node a WebRTC message), and an honest newcomer pushing its own few payments never notices.
      if (!peer.unaskedTxs.take(IGNORED_PUSH_COST - 1))
        return this.misbehaved(peer, 'pushed transactions too fast');
      return;
    }
    if (!asked && this.inbox.length >= MAX_INBOX) return;
    if (txIdOf(bytes) !== id) return this.misbehaved(peer, `bytes do not hash to ${id}`);
    this.holders.saw(id, peer.key);
    this.requests.received(id, peer.key);
    // Whoever sent it, a parent that arrived is owed by no one any more.
    for (const other of this.peers.values()) other.pushedOrphans.delete(id);
    if (asked) peer.timeouts = 0;
    this.inbox.push({ peer, id, bytes, asked });
    this.nowArriving([id]);
    this.draining ??= this.drain();
    // An answer frees a request slot: ask for the next one now, not after the ledger's batch.
    if (asked) this.schedulePump(peer);
  }

  /** Evidence of a double spend (src/net/evidence/conflictRelay.ts): decided before anything queued. */
  private onConflict(peer: GossipPeer, frame: Uint8Array): void {
    const evidence = this.conflicts.received(peer.key, frame);
    if (!evidence.ok) return this.misbehaved(peer, evidence.problem);
    for (const { id } of evidence.txs) this.holders.saw(id, peer.key);
    // Within the inbox bound like any unasked transaction: past it, dropped (as never received).
    if (this.inbox.length + evidence.txs.length > MAX_INBOX) return;
    const frameOf = { frame: ++this.evidenceFrames, size: evidence.txs.length };
    this.inbox.unshift(
      ...evidence.txs.map(({ id, bytes }) => ({ peer, id, bytes, asked: false, evidence: frameOf })),
    );
    this.nowArriving(evidence.txs.map(({ id }) => id));
    this.draining ??= this.drain();
  }

  private nowArriving(ids: readonly string[]): void {
    for (const id of ids) this.arriving.set(id, (this.arriving.get(id) ?? 0) + 1);
  }

  private decided(batch: readonly Inbound[]): void {
    for (const { id } of batch) {
      const copies = this.arriving.get(id) ?? 0;
      if (copies <= 1) this.arriving.delete(id);
      else this.arriving.set(id, copies - 1);
    }
  }

  /** Hands queued transactions to the ledger in arrival order, in bounded batches. */
  private async drain(): Promise<void> {
    // Let frames that arrived in the same burst join the batch.
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Up to LEDGER_CALLS_IN_FLIGHT batches are with the ledger at once: it decides them strictly in
    // order (Ledger.receive is serialised) but starts a batch's signature checks while the one before is
    // being written. Their receipts are acted on here in the same order.
    const pending: { batch: Inbound[]; receipt: Promise<GossipReceipt> }[] = [];
    while (this.inbox.length > 0 || pending.length > 0) {
      while (this.inbox.length > 0 && pending.length < LEDGER_CALLS_IN_FLIGHT) {
        const next = this.inbox.splice(0, MAX_BATCH);
        // The ids go along: onTx checked that each one's bytes hash to it.
        const receipt = this.ledger.receive(
          next.map((item) => item.bytes),
          next.map((item) => item.id),
        );
        receipt.catch(() => {}); // handled where it is awaited, in order; not an unhandled rejection meanwhile
        pending.push({ batch: next, receipt });
        this.pumpAll(); // room in the inbox again: keep the requests flowing while the ledger works
      }
      const { batch, receipt: answer } = pending.shift()!;
      try {
        const receipt = await answer;
        receipt.verdicts.forEach((verdict, i) => this.actOn(batch[i]!, verdict));
        this.judgeEvidence(batch, receipt.verdicts);
        await this.applyReceipt(receipt, batch);
      } catch (err) {
        // The batch was not decided: its transactions count as never received (reconciliation and
        // announcements bring them again) and the next batches still go to the ledger.
        this.ledgerFailed(err, batch.length);
      }
      this.decided(batch);
      this.pumpAll();
    }
    this.draining = undefined;
  }

  /** Drops the sender of a CONFLICT frame none of whose spends conflicted (evidenceOutcome.ts). */
  private judgeEvidence(batch: readonly Inbound[], verdicts: readonly GossipVerdict[]): void {
    const frames = new Map<number, { peer: GossipPeer; size: number; statuses: (string | undefined)[] }>();
    batch.forEach(({ peer, evidence }, i) => {
      if (!evidence) return;
      const frame = frames.get(evidence.frame) ?? { peer, size: evidence.size, statuses: [] };
      frame.statuses.push(verdicts[i]?.status);
      frames.set(evidence.frame, frame);
    });
    for (const { peer, size, statuses } of frames.values()) {
      // A frame split over two batches is not judged (it never is: it is queued at the front at once).
      if (statuses.length === size && peer.alive && wasNoConflict(statuses)) {
        this.misbehaved(peer, 'sent as evidence spends of one output that do not conflict', {
          evidenceToo: true,
        });
      }
    }
  }

  private ledgerFailed(err: unknown, lost: number): void {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    this.ledgerFailure = { message, lost, at: this.clock() };
    console.warn(`the ledger rejected ${lost} received transactions:`, message);
    this.events.onLedgerFailed?.(this.ledgerFailure);
  }

  /** What every ledger receipt does here: held ones settled, conflicts passed on, accepted ones added, relayed and reported. */
  private async applyReceipt(receipt: GossipReceipt, batch: readonly Inbound[]): Promise<void> {
    this.settle(receipt.settled);
    this.passOnConflicts(receipt, batch);
    await this.added(receipt.accepted);
    this.relay(receipt.accepted);
    if (receipt.accepted.length > 0) this.events.onAccepted?.(receipt.accepted);
    this.events.onProgress?.(this.progress());
  }

  /**
   * Transactions fetched outside gossip (a torrent fetched by id, src/net/discovery/): through the same
   * ledger path as gossiped ones, relayed alike; what the ledger holds of them counts as the node's own
   * for the hold policy (heldPolicy.ts: `from: null`), so expiry and the total bound still apply.
   */
  async receiveFetched(items: Uint8Array[]): Promise<GossipVerdict[]> {
    const receipt = await this.ledger.receive(items);
    const now = this.clock();
    for (const verdict of receipt.verdicts) {
      if (verdict.kind !== 'new' || (verdict.status !== 'orphan' && verdict.status !== 'future')) continue;
      if (!this.held.has(verdict.id)) this.held.set(verdict.id, { id: verdict.id, from: null, heldAt: now });
    }
    if (this.held.size > MAX_HELD_TOTAL) this.enforceHoldPolicy(now);
    await this.applyReceipt(receipt, []);
    return receipt.verdicts;
  }

  /** Whether gossip is bringing `id` now: a peer announced it, or its bytes arrived and wait for the ledger. */
  offers(id: string): boolean {
    return this.requests.has(id) || this.arriving.has(id);
  }

  private actOn({ peer, asked }: Inbound, verdict: GossipVerdict): void {
    if (!peer.alive) return this.actOnAfterLeaving(peer, verdict);
    if (verdict.kind === 'bytes-mismatch') return this.misbehaved(peer, `other bytes under ${verdict.id}`);
    if (verdict.kind === 'dropped') {
      // Only a future its parent cannot cover is dropped: a double spend dated ahead, which honest
      // nodes do not relay (they relay accepted transactions only).
      if (++peer.dropped > MAX_DROPPED_PER_PEER) return this.misbehaved(peer, 'sent uncoverable futures');
      return;
    }
    if (verdict.kind === 'new' && verdict.status === 'invalid' && isDishonest(verdict.reason)) {
      return this.misbehaved(peer, `relayed an invalid transaction (${verdict.reason})`);
    }
    if (verdict.kind === 'new' && (verdict.status === 'orphan' || verdict.status === 'future')) {
      const now = this.clock();
      if (!this.held.has(verdict.id)) {
        this.held.set(verdict.id, { id: verdict.id, from: peer.key, heldAt: now });
        peer.heldCount++;
      }
      // The policy would drop this peer's oldest past the bound; a peer that gets there is disconnected.
      if (peer.heldCount > MAX_HELD_PER_PEER) return this.misbehaved(peer, 'made this node hold too much');
      if (this.held.size > MAX_HELD_TOTAL) this.enforceHoldPolicy(now);
    }
    if (verdict.status === 'orphan' && verdict.waitingOn) {
      // The sender accepted this, so it holds the parent: ask it.
      const parent = verdict.waitingOn;
      this.requests.announce(peer.key, [parent]);
      if (!asked) {
        if (!peer.pushedOrphans.has(parent) && peer.pushedOrphans.size >= MAX_PUSHED_ORPHANS) {
          return this.misbehaved(peer, 'sent too many orphans');
        }
        peer.pushedOrphans.add(parent);
      }
      // Once after the batch: the parents of all its orphans from this peer go in one WANT frame, not
      // one frame each (an orphan flood made the node send ~60 frames a second to each rogue).
      this.schedulePump(peer);
    }
  }

  /**
   * A verdict on what a peer sent, reached after that peer left (closed, or dropped earlier in this batch
   * or while the ledger worked): a transaction it made this node hold is still tracked by the hold policy
   * under its (unique, never reused) key, so it expires and counts in the total bound; if the peer was
   * dropped for misbehaving, it is dropped at once, like the rest of what it made this node hold.
   */
  private actOnAfterLeaving(peer: GossipPeer, verdict: GossipVerdict): void {
    if (verdict.kind !== 'new' || (verdict.status !== 'orphan' && verdict.status !== 'future')) return;
    if (this.held.has(verdict.id)) return;
    if (peer.misbehaved) {
      void this.ledger.dropHeld([verdict.id]);
      return;
    }
    const now = this.clock();
    this.held.set(verdict.id, { id: verdict.id, from: peer.key, heldAt: now });
    if (this.held.size > MAX_HELD_TOTAL) this.enforceHoldPolicy(now);
  }

  /**
   * Double spends the ledger found: recorded and sent on at once, to every peer but those that sent this
   * evidence (they recorded it). The peer that sent the losing spend gets it too: it may have accepted
   * that spend and not yet know what it lost to.
   */
  private passOnConflicts(receipt: GossipReceipt, batch: readonly Inbound[]): void {
    for (const conflict of receipt.conflicts ?? []) {
      const ids = new Set(conflict.txs.map(({ id }) => id));
      const senders = batch.filter((item) => item.evidence && ids.has(item.id)).map((item) => item.peer.key);
      this.conflicts.found([conflict], new Set(senders));
    }
  }

  /**
   * Announces fresh accepted transactions to every peer, batched per peer. Its source hears it too: that
   * HAVE tells the source that this node holds it (holderCounts.ts), which a payer cannot learn otherwise.
   */
  private relay(items: readonly AcceptedTx[]): void {
    const now = this.clock();
    const fresh = items.filter((item) => now - item.time <= RELAY_FRESH_MS);
    if (fresh.length === 0) return;
    for (const peer of this.peers.values()) {
      if (!peer.ready) continue;
      for (const item of fresh) peer.relay.push(item.id);
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flushRelays());
    }
  }

  private flushRelays(): void {
    this.flushScheduled = false;
    for (const peer of this.peers.values()) {
      for (const ids of chunkIds(peer.relay)) peer.send(encodeHave(ids));
      peer.relay = [];
    }
  }

  private async onHave(peer: GossipPeer, ids: string[]): Promise<void> {
    // A HAVE makes no one a holder (holderCounts.ts): anyone who heard an id can announce it.
    const inventory = await this.sets();
    if (!peer.alive) return;
    const unknown = ids.filter((id) => !inventory.has(id));
    if (unknown.length === 0) return;
    const known = await this.ledger.known(unknown);
    if (!peer.alive) return;
    const lacking = unknown.filter((id, i) => !known[i] && !this.arriving.has(id));
    if (lacking.length > 0) this.events.onAnnounced?.(lacking);
    const { overPeerCap } = this.requests.announce(peer.key, lacking);
    // Reconciliation keeps its own announcements under SYNC_PAUSE_AT + one message of ids, far below the
    // cap, and we fetch as fast as a peer answers: only a peer announcing what it cannot deliver fills it.
    // Ids past the tracker's total bound are ignored, whoever sent them (the bound is this node's).
    if (overPeerCap) return this.misbehaved(peer, 'announced more transactions than it delivers');
    this.pump(peer);
  }

  private onWant(peer: GossipPeer, ids: string[]): void {
    if (peer.serveQueue.length + ids.length > MAX_SERVE_QUEUE) {
      return this.misbehaved(peer, `asked for more than ${MAX_SERVE_QUEUE} transactions at once`);
    }
    peer.serveQueue.push(...ids);
    if (!peer.serving) void this.serve(peer);
  }

  private async serve(peer: GossipPeer): Promise<void> {
    peer.serving = true;
    while (peer.serveQueue.length > 0 && peer.alive) {
      // A peer that does not read its answers waits for them; its further WANTs queue up to MAX_SERVE_QUEUE.
      await roomToSend(peer.wire, () => peer.alive);
      if (!peer.alive) break;
      const chunk = peer.serveQueue.splice(0, SERVE_CHUNK);
      const found = await this.ledger.bytesOf(chunk);
      if (!peer.alive) break;
      const missing: string[] = [];
      const items: { id: string; bytes: Uint8Array }[] = [];
      found.forEach((bytes, i) => {
        if (bytes) items.push({ id: chunk[i]!, bytes });
        else missing.push(chunk[i]!);
      });
      peer.sendTxs(items);
      if (missing.length > 0) peer.send(encodeNotFound(missing));
    }
    peer.serving = false;
  }

  /**
   * Every id we ask a peer for is one it offered (HAVE, reconciliation) or the parent of a transaction it
   * accepted and sent us: an honest node holds all of those, so NOTFOUND is always a violation. The frame
   * exists so that the asker learns it at once instead of after a time-out.
   */
  private onNotFound(peer: GossipPeer, ids: string[]): void {
    const id = ids[0]!;
    if (this.requests.requestedFrom(id) !== peer.key) {
      return this.misbehaved(peer, `said NOTFOUND for ${id}, which it was not asked`);
    }
    for (const missing of ids) this.requests.notFound(peer.key, missing);
    if (peer.pushedOrphans.has(id)) return this.misbehaved(peer, `sent an orphan but not its parent ${id}`);
    return this.misbehaved(peer, `offered ${id} and then could not give it`);
  }

  /**
   * Runs a peer's reconciliation message when the node's share allows (nodeSyncShare.ts): in arrival
   * order, after those already waiting; the rest wait for the refill (checked every tick).
   */
  private queueSyncWork(peer: GossipPeer, run: (inventory: SyncInventory) => void): void {
    this.syncWork.wait({ peer, run });
    void this.drainSyncWork();
  }

  private async drainSyncWork(): Promise<void> {
    if (this.drainingSyncWork || this.syncWork.waiting === 0) return;
    this.drainingSyncWork = true;
    try {
      const inventory = await this.sets();
      // Synchronous from here: each job charges the share before the next is taken.
      for (let job = this.syncWork.next(this.clock()); job; job = this.syncWork.next(this.clock())) {
        if (job.peer.alive) job.run(inventory);
      }
    } finally {
      this.drainingSyncWork = false;
    }
  }

  private onSync(peer: GossipPeer, message: Uint8Array, inventory: SyncInventory): void {
    let answer: { reply: Uint8Array; units: number };
    try {
      answer = inventory.answer(message);
    } catch (err) {
      return this.misbehaved(peer, `sent a bad reconciliation message: ${(err as Error).message}`);
    } finally {
      peer.answeringSync = false;
    }
    const wire = (message.length + answer.reply.length) * WIRE_UNITS_PER_BYTE;
    this.syncWork.charge(answer.units + wire, this.clock());
    const over = peer.syncBudget?.answered(message, answer.units, inventory.size, this.clock());
    if (over) return this.misbehaved(peer, over);
    peer.send(encodeSyncReply(answer.reply));
  }

  private onSyncReply(peer: GossipPeer, message: Uint8Array): void {
    if (!peer.session) return;
    let step: ReturnType<SyncSession['next']>;
    try {
      step = peer.session.next(message);
    } catch (err) {
      return this.misbehaved(peer, `sent a bad reconciliation reply: ${(err as Error).message}`);
    }
    const wire = (message.length + (step.message?.length ?? 0)) * WIRE_UNITS_PER_BYTE;
    this.syncWork.charge(step.units + wire, this.clock());
    const over = peer.syncBudget?.reconciled(step.units, this.accepted, this.clock());
    if (over) return this.misbehaved(peer, over);
    void this.afterSyncStep(peer, step);
  }

  /** What a step of our reconciliation with `peer` found: ids to fetch, and the next message or the end. */
  private async afterSyncStep(peer: GossipPeer, step: ReturnType<SyncSession['next']>): Promise<void> {
    this.holders.lacks(peer.key, step.lacks);
    if (step.need.length > 0) {
      const known = await this.ledger.known(step.need);
      if (!peer.alive) return;
      const lacking = step.need.filter((id, i) => !known[i] && !this.arriving.has(id));
      if (lacking.length > 0) this.events.onAnnounced?.(lacking);
      this.requests.announce(peer.key, lacking);
    }
    if (step.message === null) {
      peer.session = undefined;
      peer.lastSyncEnd = this.clock();
      this.holders.checkEnded(peer.key);
    } else {
      peer.pausedSync = step.message;
    }
    this.pump(peer);
  }

  /** Sends what this peer should be asked now, and the next SYNC if its announcements leave room. */
  private pump(peer: GossipPeer): void {
    if (!this.peers.has(peer.key)) return;
    // Ask only while the ledger has less than INBOX_AHEAD waiting: the network keeps the ledger busy
    // without the inbox growing past what it can take.
    if (this.inbox.length < INBOX_AHEAD) {
      const ids = this.requests.nextRequests(peer.key, this.waits.now(this.clock()));
      for (const chunk of chunkIds(ids, MAX_IDS_PER_FRAME)) peer.send(encodeWant(chunk));
    }
    if (peer.pausedSync && this.requests.announced(peer.key) < SYNC_PAUSE_AT) {
      const message = peer.pausedSync;
      peer.pausedSync = undefined;
      this.sendSync(peer, message);
    }
  }

  private sendSync(peer: GossipPeer, message: Uint8Array): void {
    peer.awaitingReply = true;
    peer.syncSentAt = this.waits.now(this.clock());
    peer.send(encodeSync(message));
  }

  /** Pumps `peer` once after the frames that arrived together (one microtask later). */
  private schedulePump(peer: GossipPeer): void {
    if (peer.pumpScheduled) return;
    peer.pumpScheduled = true;
    queueMicrotask(() => {
      peer.pumpScheduled = false;
      this.pump(peer);
    });
  }

  private pumpAll(): void {
    for (const peer of this.peers.values()) this.pump(peer);
  }

  private tick(): void {
    const now = this.clock();
    this.banned.expire(now);
    this.conflicts.expire(now);
    if (now - this.lastHeldCheck >= HELD_CHECK_MS) this.enforceHoldPolicy(now);
    // Requests and replies are timed on the wait clock: this node's own stalls are not its peers' fault.
    const waited = this.waits.tick(now);
    for (const { peer: key, id } of this.requests.expire(waited).timedOut) {
      const peer = this.peers.get(key);
      if (!peer) continue;
      if (peer.pushedOrphans.has(id)) this.misbehaved(peer, `sent an orphan but not its parent ${id}`);
      else if (++peer.timeouts >= MAX_TIMEOUTS) this.letGo(peer, `left ${MAX_TIMEOUTS} requests unanswered`);
    }
    for (const peer of this.peers.values()) {
      if (peer.awaitingReply && waited - peer.syncSentAt > SYNC_REPLY_TIMEOUT_MS) {
        this.letGo(peer, 'did not answer a reconciliation message');
      } else if (
        peer.ready &&
        !peer.session &&
        (now - peer.lastSyncEnd >= RESYNC_MS || this.holders.checkDue(peer.key, peer.lastSyncEnd, RESYNC_MS))
      ) {
        void this.startSync(peer);
      }
    }
    this.introductions.tick();
    void this.drainSyncWork();
    this.pumpAll();
  }
}

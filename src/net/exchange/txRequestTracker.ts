// Schedules transaction requests (WANT frames) over the peers that announced them, after Bitcoin Core's
// TxRequestTracker (src/txrequest.h). Bookkeeping only: no timers, no I/O, the clock is handed in.
//
// === Specification ===
//
// An announcement is one (peer, id) pair: `peer` told us it holds transaction `id` (a HAVE frame, a
// reconciliation difference, the parent of an orphan that peer sent). Each announcement is in one state:
//   CANDIDATE  announced, not requested from that peer yet;
//   REQUESTED  requested from that peer at time t and not answered; it times out at t + REQUEST_TIMEOUT_MS;
//   FAILED     requested from that peer and timed out or answered "not found"; kept only so that the id is
//              never asked of that peer again.
//
//  1. announce(peer, ids) adds a CANDIDATE for each id that peer has not announced yet (in any
//     state), in announcement order; an id it already announced changes nothing.
//  2. A peer has at most MAX_ANNOUNCED_PER_PEER announcements (all states). Ids past that are ignored and
//     returned as `ignored`, with `overPeerCap` true: the caller decides whether to disconnect the peer
//     (it announced more than it delivers) or to pause reconciliation with it until its requests are
//     answered. At most MAX_ANNOUNCED_TOTAL announcements are tracked over all peers: ids past that are
//     ignored too, with `overPeerCap` false. That bound is the node's, not the peer's: an honest peer
//     that meets it (a full node with 55 peers all announcing) is never at fault, and its ids come back
//     by reconciliation once the tracker has room (Bitcoin Core's txrequest ignores, never punishes,
//     announcements past its bounds).
//
//     Bitcoin Core also delays requests to non-preferred (inbound) peers and to peers with a full request
//     window, so that an attacker with many inbound connections cannot be asked first and withhold. Not
//     here: every connection of the network swarm is made the same way (offers relayed by the tracker,
//     answered by either side), so no class of peer is harder for an attacker to be; a withholding peer
//     costs at most REQUEST_TIMEOUT_MS (10 s, Core's is 60 s) per id before another announcer is asked,
//     and MAX_TIMEOUTS in a row disconnect it (txGossip.ts).
//  3. nextRequests(peer, now) returns ids to request from `peer` now, in that peer's announcement order
//     (parents announced before children are asked first), and marks them REQUESTED at `now`. A peer
//     never has more than MAX_IN_FLIGHT_PER_PEER REQUESTED announcements.
//  4. An id is requested from one peer at a time: nextRequests never returns an id REQUESTED elsewhere.
//  5. An id is never requested twice from the same peer, unless it was forgotten and announced again.
//  6. Requests are spread over peers: nextRequests(peer) passes over an id that another announcer holds
//     as CANDIDATE when that announcer has room, has strictly fewer REQUESTED than `peer` had when the
//     call began, and asked for requests itself (called nextRequests) within the last
//     REQUEST_TIMEOUT_MS: the id is left for that peer's own call. A peer that stopped asking is not
//     waited for, so an id is passed over for at most REQUEST_TIMEOUT_MS.
//  7. expire(now) turns every REQUESTED announcement whose time is out (t + REQUEST_TIMEOUT_MS <= now)
//     into FAILED and returns it in `timedOut` (the caller may count them against the peer); notFound(peer,
//     id) does the same for one announcement at once. The id is then requestable from another announcer
//     that holds it as CANDIDATE.
//  8. An id whose remaining announcements are all FAILED (every announcer timed out or left) is forgotten
//     and returned in `dropped`, by expire, notFound and peerGone: no peer we know can deliver it.
//  9. received(id, from, now) forgets the id for every peer (valid or not, the bytes are here). It returns
//     whether the id was REQUESTED from `from`: an answer to our own request, which a rate limit never
//     charges (issue 7: an honest peer serving what we asked is never dropped).
// 10. peerGone(peer) forgets all of that peer's announcements; the ids it had REQUESTED become
//     requestable from other announcers at once.
// 11. No state remains for a peer without announcements or an id without announcements.
//
// Bounds: MAX_ANNOUNCED_TOTAL announcements (160,000; ~180 bytes each in V8 besides the id strings, so
// ~27 MB at worst), as many
// ids at most, MAX_IN_FLIGHT_PER_PEER requests per peer. Time held: a REQUESTED announcement lasts
// REQUEST_TIMEOUT_MS; a CANDIDATE lasts until its peer is asked (rule 6 bounds the wait while the peer
// keeps asking) or leaves; a FAILED one lasts until its id is received, dropped, or its peer leaves.
// Work: announce is O(ids); nextRequests is O(that peer's candidates × announcers per id); expire is
// O(requests in flight).

/** Requests in flight (asked, unanswered) per peer; Bitcoin Core allows 100 per peer too. */
export const MAX_IN_FLIGHT_PER_PEER = 100;
/** Announcements tracked per peer, in all states (Bitcoin Core: MAX_PEER_TX_ANNOUNCEMENTS = 5000). */
export const MAX_ANNOUNCED_PER_PEER = 5000;
/** Announcements over all peers: 32 peers' full caps (a tab keeps at most 30 connections). */
export const MAX_ANNOUNCED_TOTAL = 32 * MAX_ANNOUNCED_PER_PEER;
/**
 * How long a request waits for its answer before another announcer is asked. A tx.json is ≤ 1 KiB and a
 * peer has at most 100 in flight, so an honest peer answers a full window in well under a second even on
 * a slow link; 10 s leaves room for a busy tab.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

export type PeerKey = string;

export interface RequestLimits {
  readonly maxInFlightPerPeer: number;
  readonly maxAnnouncedPerPeer: number;
  readonly maxAnnouncedTotal: number;
  readonly requestTimeoutMs: number;
}

export const REQUEST_LIMITS: RequestLimits = {
  maxInFlightPerPeer: MAX_IN_FLIGHT_PER_PEER,
  maxAnnouncedPerPeer: MAX_ANNOUNCED_PER_PEER,
  maxAnnouncedTotal: MAX_ANNOUNCED_TOTAL,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
};

class PeerState {
  /** CANDIDATE ids, in announcement order. */
  readonly candidates = new Set<string>();
  /** REQUESTED ids and when, in request order. */
  readonly requested = new Map<string, number>();
  readonly failed = new Set<string>();
  lastAsked = -Infinity;

  get size(): number {
    return this.candidates.size + this.requested.size + this.failed.size;
  }
}

class IdState {
  /** Peers that announced it, in any state: an array, since there are few (one per connection). */
  readonly announcers: PeerKey[];
  /** The peer it is REQUESTED from, if any (rule 4: at most one). */
  requestedFrom: PeerKey | undefined;
  /** Announcements of it that are CANDIDATE or REQUESTED. */
  live = 1;

  constructor(first: PeerKey) {
    this.announcers = [first]; // a literal of one: `[]` then push would reserve room for 17
  }
}

export interface Expired {
  /** Announcements that timed out now (rule 7). */
  readonly timedOut: { peer: PeerKey; id: string }[];
  /** Ids forgotten because no announcer is left to deliver them (rule 8). */
  readonly dropped: string[];
}

export class TxRequestTracker {
  private readonly peers = new Map<PeerKey, PeerState>();
  private readonly ids = new Map<string, IdState>();
  /** Announcements in all states over all peers (rule 2's total). */
  private announcements = 0;

  constructor(private readonly limits: RequestLimits = REQUEST_LIMITS) {}

  /**
   * Rules 1 and 2. Returns the ids ignored because a bound was reached, and whether it was the peer's
   * own cap (else only the total bound).
   */
  announce(peer: PeerKey, ids: readonly string[]): { ignored: string[]; overPeerCap: boolean } {
    let state = this.peers.get(peer);
    if (!state) {
      state = new PeerState();
      this.peers.set(peer, state);
    }
    const ignored: string[] = [];
    let overPeerCap = false;
    for (const id of ids) {
      if (state.candidates.has(id) || state.requested.has(id) || state.failed.has(id)) continue;
      if (state.size >= this.limits.maxAnnouncedPerPeer) overPeerCap = true;
      if (overPeerCap || this.announcements >= this.limits.maxAnnouncedTotal) {
        ignored.push(id);
        continue;
      }
      this.announcements++;
      const entry = this.ids.get(id);
      if (entry) {
        entry.announcers.push(peer);
        entry.live++;
      } else {
        this.ids.set(id, new IdState(peer));
      }
      state.candidates.add(id);
    }
    if (state.size === 0) this.peers.delete(peer);
    return { ignored, overPeerCap };
  }

  /** Rules 3 to 6: the ids to send `peer` in WANT frames now, marked REQUESTED at `now`. */
  nextRequests(peer: PeerKey, now: number): string[] {
    const state = this.peers.get(peer);
    if (!state) return [];
    state.lastAsked = now;
    const startCount = state.requested.size;
    const room = this.limits.maxInFlightPerPeer - startCount;
    const out: string[] = [];
    for (const id of state.candidates) {
      if (out.length >= room) break;
      const entry = this.ids.get(id)!;
      if (entry.requestedFrom !== undefined) continue;
      if (this.betterAnnouncer(entry, id, peer, startCount, now)) continue;
      state.candidates.delete(id);
      state.requested.set(id, now);
      entry.requestedFrom = peer;
      out.push(id);
    }
    return out;
  }

  /** Rule 6: another announcer with room, fewer in flight, that still asks for requests. */
  private betterAnnouncer(entry: IdState, id: string, peer: PeerKey, count: number, now: number): boolean {
    for (const other of entry.announcers) {
      if (other === peer) continue;
      const state = this.peers.get(other)!;
      if (
        state.candidates.has(id) &&
        state.requested.size < count &&
        state.requested.size < this.limits.maxInFlightPerPeer &&
        now - state.lastAsked < this.limits.requestTimeoutMs
      ) {
        return true;
      }
    }
    return false;
  }

  /** Rules 7 and 8 for every request whose time is out at `now`. */
  expire(now: number): Expired {
    const timedOut: { peer: PeerKey; id: string }[] = [];
    const dropped: string[] = [];
    for (const [peer, state] of this.peers) {
      for (const [id, at] of state.requested) {
        if (at + this.limits.requestTimeoutMs > now) continue;
        timedOut.push({ peer, id });
        this.fail(peer, state, id, dropped);
      }
    }
    return { timedOut, dropped };
  }

  /** Rules 7 and 8 for one announcement the peer said it cannot serve. Returns the ids dropped. */
  notFound(peer: PeerKey, id: string): string[] {
    const state = this.peers.get(peer);
    const dropped: string[] = [];
    if (state && (state.requested.has(id) || state.candidates.has(id))) this.fail(peer, state, id, dropped);
    return dropped;
  }

  private fail(peer: PeerKey, state: PeerState, id: string, dropped: string[]): void {
    const entry = this.ids.get(id)!;
    state.candidates.delete(id);
    state.requested.delete(id);
    state.failed.add(id);
    if (entry.requestedFrom === peer) entry.requestedFrom = undefined;
    entry.live--;
    if (entry.live === 0) {
      this.forget(id);
      dropped.push(id);
    }
  }

  /** Rule 9. True when the id was REQUESTED from `from`: an answer, not an unasked transaction. */
  received(id: string, from?: PeerKey): boolean {
    const entry = this.ids.get(id);
    const asked = entry !== undefined && from !== undefined && entry.requestedFrom === from;
    if (entry) this.forget(id);
    return asked;
  }

  /** Rules 10 and 8. Returns the ids dropped because no other announcer can deliver them. */
  peerGone(peer: PeerKey): string[] {
    const state = this.peers.get(peer);
    if (!state) return [];
    this.peers.delete(peer);
    this.announcements -= state.size;
    const dropped: string[] = [];
    const leave = (id: string, live: boolean): void => {
      const entry = this.ids.get(id)!;
      entry.announcers.splice(entry.announcers.indexOf(peer), 1);
      if (entry.requestedFrom === peer) entry.requestedFrom = undefined;
      if (live) entry.live--;
      if (entry.live === 0) {
        this.forget(id);
        dropped.push(id);
      }
    };
    for (const id of state.candidates) leave(id, true);
    for (const id of state.requested.keys()) leave(id, true);
    for (const id of state.failed) if (this.ids.has(id)) leave(id, false);
    return dropped;
  }

  /** Removes every announcement of `id` (rule 11: peers left empty go too). */
  private forget(id: string): void {
    const entry = this.ids.get(id);
    if (!entry) return;
    this.ids.delete(id);
    for (const peer of entry.announcers) {
      const state = this.peers.get(peer);
      if (!state) continue;
      const before = state.size;
      state.candidates.delete(id);
      state.requested.delete(id);
      state.failed.delete(id);
      this.announcements -= before - state.size;
      if (state.size === 0) this.peers.delete(peer);
    }
  }

  /** REQUESTED announcements of `peer`. */
  inFlight(peer: PeerKey): number {
    return this.peers.get(peer)?.requested.size ?? 0;
  }

  /** Announcements of `peer`, all states (the count rule 2 bounds). */
  announced(peer: PeerKey): number {
    return this.peers.get(peer)?.size ?? 0;
  }

  /** The peer an id is REQUESTED from, if any. */
  /** Whether some peer announced `id` and may still deliver it (a CANDIDATE or REQUESTED announcement). */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  requestedFrom(id: string): PeerKey | undefined {
    return this.ids.get(id)?.requestedFrom;
  }

  /** Totals, for status and tests: peers and ids with state, and announcements. */
  size(): { peers: number; ids: number; announcements: number } {
    return { peers: this.peers.size, ids: this.ids.size, announcements: this.announcements };
  }
}

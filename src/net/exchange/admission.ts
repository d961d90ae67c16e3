// Who gets one of a node's scarce gossip slots, and what a node that has none left tells a newcomer
// (issue 18 item 2). Bookkeeping only: the clock and the randomness are handed in.
//
// === Specification ===
//  1. A node with `maxPeers` keeps at most that many gossip peers; without it (a tab today), any number.
//  2. A peer whose extended handshake arrives while every slot is taken:
//     a. if some gossip peer is idle — it asked this node nothing (no WANT, no SYNC) for IDLE_RELEASE_MS,
//        has nothing queued to be served, and this node fetches nothing from it — the one idle longest
//        is let go (told BUSY if it reads BUSY, then closed) and the newcomer takes its slot. A peer that
//        finished joining holds no slot forever while others wait; one still joining asks every few
//        hundred ms and is never idle that long.
//     b. otherwise the newcomer is turned away: told BUSY if its handshake says `ttxBusy: 1`, then closed
//        (at once if it does not read BUSY; after BUSY_LINGER_MS at most if it does: it closes on reading).
//  3. A BUSY frame asks the peer to come back after retryAfterS(): when some gossip peer is not busy, as
//     soon as the first of those turns idle enough to be let go (rule 2a), plus 0–2 s; otherwise
//     BUSY_RETRY_S spread by ±half. Either way at random, so that the peers turned away together do not
//     all come back in the same second. A peer let go idle is asked RELEASED_RETRY_S ± half instead: it
//     holds what it came for, and coming straight back it would take a slot from one still joining.
//  4. A peer let go or turned away is never counted as misbehaving: whatever it sends after (its first
//     SYNC crossing our BUSY on the wire) is ignored, and it is not banned.
//  5. On the other side, a BUSY received ends that session without blame on either side (the sender is
//     not banned for closing); the receiver backs off for the time asked (networkNode.ts), keeps its other
//     peers meanwhile, and announces again then if it still wants peers or transactions.

/** How long a gossip peer must have asked nothing before a newcomer may take its slot (rule 2a). */
export const IDLE_RELEASE_MS = 5000;
/** How long a turned-away peer that reads BUSY has to read it before the node closes the wire. */
export const BUSY_LINGER_MS = 2000;
/** The come-back delay a BUSY frame asks for, on average (rule 3). */
export const BUSY_RETRY_S = 5;

/** The come-back delay asked of a peer let go idle, on average (rule 3). */
export const RELEASED_RETRY_S = 30;

/** The part of a gossip peer the slot policy reads. */
export interface SlotHolder {
  /** When it last asked this node for something (WANT, SYNC), or joined. */
  readonly lastAskedAt: number;
  /** It waits for answers from this node, or this node is fetching from it. */
  readonly busy: boolean;
}

/** Rule 2a: the peer idle longest, if one has been idle at least IDLE_RELEASE_MS. */
export function idlestPeer<P extends SlotHolder>(peers: Iterable<P>, now: number): P | undefined {
  let idlest: P | undefined;
  for (const peer of peers) {
    if (peer.busy || now - peer.lastAskedAt < IDLE_RELEASE_MS) continue;
    if (!idlest || peer.lastAskedAt < idlest.lastAskedAt) idlest = peer;
  }
  return idlest;
}

/** When the first peer that is not busy may be let go (rule 2a), in ms from `now`; undefined if none. */
export function soonestRelease(peers: Iterable<SlotHolder>, now: number): number | undefined {
  let soonest: number | undefined;
  for (const peer of peers) {
    if (peer.busy) continue;
    const at = Math.max(0, peer.lastAskedAt + IDLE_RELEASE_MS - now);
    soonest = soonest === undefined ? at : Math.min(soonest, at);
  }
  return soonest;
}

/** Rule 3 for a peer let go idle, in whole seconds. */
export function releasedRetryAfterS(random: () => number): number {
  return Math.round(RELEASED_RETRY_S * (0.5 + random()));
}

/** Rule 3, in whole seconds. `random` returns [0, 1). */
export function retryAfterS(random: () => number, soonestReleaseMs?: number): number {
  if (soonestReleaseMs !== undefined)
    return Math.ceil(soonestReleaseMs / 1000) + 1 + Math.floor(random() * 2);
  return Math.max(1, Math.round(BUSY_RETRY_S * (0.5 + random())));
}

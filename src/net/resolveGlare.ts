// Which of two WebRTC connections to the same peer a node keeps. webtorrent keys its peers by peer id
// and drops any second connection to an id it already holds, which goes wrong in two ways:
// - Glare: when two nodes announce at nearly the same time, the tracker hands each the other's offer;
//   both answer, both then get the answer to their own offer, and each drops the second connection as a
//   duplicate: each node keeps the connection the other dropped, and neither works. Both nodes must keep
//   the same one of the two: the one the lower peer id initiated.
// - A dead pending connection: when a connection attempt fails on one side (ICE failed under load), the
//   other side's end can stay registered, not connected, with no event (node-datachannel closes the
//   peer connection without 'iceconnectionstatechange'), until webtorrent's 25 s connect time-out. Every
//   new offer from that peer is dropped as a duplicate meanwhile, so the two could not meet again for
//   25 s. A pending connection whose peer connection is closed or failed, or that has been pending for
//   STALE_PENDING_MS, gives way to the new one.
// It also keeps a webtorrent bug from ending the process: webtorrent's listener on a pending connection's
// 'error' reads its peer's `conn`, which destroying that peer sets to null; simple-peer emits the error of
// a failed connection a turn after it began closing, so a pending peer destroyed in between (a stale one
// given way here, a connect time-out) threw from a timer. A crowd of newcomers coming back to a full node
// met it (issue 18 item 2). Destroying a pending peer now first takes webtorrent's listeners off its
// connection.
// It also tells the node when a connection it registered closes (an attempt that failed, or a wire
// that went down), so a node left with no peer can ask the tracker again soon instead of at its next
// lonely tick.

/** An honest WebRTC connection on loopback or the internet connects in well under this (trickle off). */
export const STALE_PENDING_MS = 10_000;

interface PendingPeer {
  readonly connected: boolean;
  readonly conn?: { readonly initiator?: boolean } | null;
  destroy(err?: unknown): void;
}

interface GlareTorrent {
  addPeer(peer: unknown, source?: unknown): unknown;
  removePeer(id: string): void;
  readonly _peers: Map<string, PendingPeer>;
}

/** The parts of a simple-peer connection this reads. */
interface SimplePeerLike {
  readonly id?: unknown;
  readonly initiator?: unknown;
  readonly connected?: boolean;
  readonly destroyed?: boolean;
  readonly _pc?: { readonly connectionState?: string; readonly iceConnectionState?: string } | null;
  once(event: 'close' | 'error', listener: () => void): void;
  listeners(event: string): ((...args: unknown[]) => void)[];
  removeListener(event: string, listener: (...args: unknown[]) => void): void;
}

const DEAD_STATES = new Set(['closed', 'failed']);

function isDead(conn: SimplePeerLike): boolean {
  const pc = conn._pc;
  return (
    conn.destroyed === true ||
    !pc ||
    DEAD_STATES.has(pc.connectionState ?? '') ||
    DEAD_STATES.has(pc.iceConnectionState ?? '')
  );
}

function isSimplePeer(peer: unknown): peer is SimplePeerLike & { id: string } {
  const p = peer as Partial<SimplePeerLike> | null;
  return !!p && typeof p === 'object' && typeof p.id === 'string' && typeof p.once === 'function';
}

export interface DuplicatePeerEvents {
  /** A WebRTC connection the torrent registered closed or failed (whether or not it had connected). */
  readonly onConnectionClosed?: () => void;
}

export function resolveGlare(
  torrent: unknown,
  ownPeerId: string,
  events: DuplicatePeerEvents = {},
  now: () => number = () => performance.now(),
): void {
  const target = torrent as GlareTorrent;
  const addPeer = target.addPeer.bind(target);
  // When each pending connection was handed in (a WeakMap: nothing kept once webtorrent lets go).
  const since = new WeakMap<object, number>();
  target.addPeer = (peer: unknown, source?: unknown) => {
    if (isSimplePeer(peer)) {
      const existing = target._peers.get(peer.id);
      const existingConn = existing?.conn as (SimplePeerLike & object) | undefined;
      if (existing && !existing.connected && existingConn) {
        const stale = isDead(existingConn) || now() - (since.get(existingConn) ?? now()) >= STALE_PENDING_MS;
        const initiatedByMe = peer.initiator === true;
        const glare = existingConn.initiator !== initiatedByMe;
        // Glare: keep the connection the lower id initiated (both sides agree); drop the pending one.
        if (stale || (glare && initiatedByMe === ownPeerId < peer.id)) target.removePeer(peer.id);
      }
      const added = addPeer(peer, source);
      // Only a connection webtorrent registered is an attempt (a dropped duplicate closes at once).
      if (target._peers.get(peer.id)?.conn === peer) {
        since.set(peer, now());
        // simple-peer ends a failed negotiation with 'error' and no 'close' (its own destroy path skips
        // the stream's), so either one counts, once.
        let told = false;
        const tell = (): void => {
          if (!told) events.onConnectionClosed?.();
          told = true;
        };
        peer.once('close', tell);
        peer.once('error', tell);
        guardPendingDestroy(target._peers.get(peer.id)!, peer, tell);
      }
      return added;
    }
    return addPeer(peer, source);
  };
}

/** Before webtorrent destroys a peer still pending, its listeners leave the connection (see above). */
function guardPendingDestroy(registered: PendingPeer, conn: SimplePeerLike, keep: () => void): void {
  const destroy = registered.destroy.bind(registered);
  registered.destroy = (err?: unknown) => {
    if (!registered.connected) {
      for (const listener of conn.listeners('connect')) conn.removeListener('connect', listener);
      for (const listener of conn.listeners('error')) {
        if (listener !== keep) conn.removeListener('error', listener);
      }
    }
    destroy(err);
  };
}

// The WebRTC connection a relayed introduction opens: a simple-peer instance made exactly as webtorrent's
// tracker client makes the connections of its offers (bittorrent-tracker's lib/client/websocket-tracker.js
// `_createPeer`: trickle off, the client's RTCConfiguration and WebRTC implementation), so the network
// swarm takes it like any tracker peer (`torrent.addPeer`). Made through the tracker client itself: the
// tab's webtorrent is a prebuilt bundle whose simple-peer is not exported (and simple-peer's own sources
// need Node's `events`), and in Node this is node-datachannel with the client's bind address. The name
// `_createPeer` survives in webtorrent's browser bundle, as trackerReconnect.ts's hooks do.

export interface SessionDescriptionLike {
  readonly type?: string;
  readonly sdp?: string;
}

/** The parts of a simple-peer connection introductions use. */
export interface RtcPeer {
  id?: string;
  readonly connected: boolean;
  readonly destroyed: boolean;
  signal(data: { type: 'offer' | 'answer'; sdp: string }): void;
  once(event: 'signal', listener: (data: SessionDescriptionLike) => void): unknown;
  once(event: 'connect' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  destroy(): void;
}

export type RtcPeerFactory = (options: { readonly initiator: boolean }) => RtcPeer;

/** bittorrent-tracker's WebSocketTracker, as far as making a connection goes. */
interface PeerMakingTracker {
  _createPeer(options: { initiator: boolean }): RtcPeer;
}

/**
 * Makes connections with the first WebSocket tracker client of `torrent` (its client keeps the
 * RTCConfiguration after the socket closed, so this works with every tracker down); undefined when the
 * torrent has none.
 */
export function trackerRtcPeerFactory(torrent: unknown): RtcPeerFactory | undefined {
  const discovery = (torrent as { discovery?: { tracker?: { _trackers?: unknown[] } } | null }).discovery;
  const tracker = discovery?.tracker?._trackers?.find(
    (t): t is PeerMakingTracker => typeof (t as Partial<PeerMakingTracker>)._createPeer === 'function',
  );
  return tracker && (({ initiator }) => tracker._createPeer({ initiator }));
}

// Gives a worker WebRTC data channels. Chromium exposes RTCPeerConnection on the window only, and
// webtorrent in a worker without it never announces to a WebRTC tracker. installRtcShim defines
// RTCPeerConnection, RTCSessionDescription and RTCIceCandidate on the worker's global scope, backed by
// real connections that src/net/rtcBridge/host.ts makes on the main thread at the other end of `port`.
//
// Call it before webtorrent is imported: its WebRTC layer takes the three constructors from
// webrtc-polyfill, whose browser entry reads them off the global scope once, when it is evaluated.
//
//   installRtcShim(port);
//   const { default: WebTorrent } = await import('webtorrent/dist/webtorrent.min.js');
//
// The main thread only signals. Data channels are transferred into the worker where the browser allows
// it (Chromium: mode 'transfer'), so bytes never cross the main thread; otherwise (Firefox) each
// channel is relayed through the port (mode 'relay').
import type { RtcBridgeConfig, RtcBridgeMode } from './protocol.ts';
import { RtcShimBridge, type RtcChannelObserver } from './shimBridge.ts';
import { RtcShimIceCandidate } from './shimIceCandidate.ts';
import { RtcShimPeerConnection } from './shimPeerConnection.ts';
import { RtcShimSessionDescription } from './shimSessionDescription.ts';

export interface RtcShimOptions {
  /**
   * Called with each data channel as it reaches the worker: the transferred RTCDataChannel itself
   * ('transfer') or the worker's relayed channel ('relay'). For metrics and tests; it must not close
   * or reconfigure the channel, which belongs to whoever created or received it.
   */
  onChannel?: RtcChannelObserver;
}

export interface RtcShim {
  /** Resolves with the host's mode once its first message arrives; rejects if the shim is closed first. */
  readonly ready: Promise<RtcBridgeMode>;
  /** The host's mode, or null until `ready` has resolved. */
  mode(): RtcBridgeMode | null;
  /** Connections made through the shim and not yet closed. */
  openConnections(): number;
  /** Closes every connection and the port. Constructing an RTCPeerConnection afterwards throws. */
  close(): void;
}

export function installRtcShim(port: MessagePort, options: RtcShimOptions = {}): RtcShim {
  const bridge = new RtcShimBridge(port, options.onChannel);

  class BridgedPeerConnection extends RtcShimPeerConnection {
    constructor(config?: RtcBridgeConfig) {
      super(bridge, config);
    }
  }

  // Defined the way the browser defines its own interfaces: writable, configurable, not enumerable.
  for (const [name, value] of [
    ['RTCPeerConnection', BridgedPeerConnection],
    ['RTCSessionDescription', RtcShimSessionDescription],
    ['RTCIceCandidate', RtcShimIceCandidate],
  ] as const) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }

  return {
    ready: bridge.ready,
    mode: () => bridge.mode,
    openConnections: () => bridge.connectionCount,
    close: () => bridge.close(),
  };
}

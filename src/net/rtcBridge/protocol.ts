// The messages between the WebRTC shim in a worker (shim.ts) and the host that owns the real
// RTCPeerConnections on the main thread (src/net/rtcBridge/host.ts), over one MessagePort. Chromium has
// RTCPeerConnection only on the window, never in workers, so the worker's webtorrent drives peer
// connections by message: the shim sends requests and notices, the host answers and relays events.
// Data channels themselves are transferred to the worker where the browser can ('transfer' mode);
// elsewhere their traffic is relayed through this port ('relay' mode).
//
// Every type here is plain data, declared here rather than taken from lib.dom: the WebWorker lib has
// no RTCPeerConnection types, and this file is compiled for both sides. The host is trusted (same
// app, same origin), so the shim does not re-validate what it receives.

/** How a connection's data channels reach the worker. */
export type RtcBridgeMode = 'transfer' | 'relay';

export type RtcSdpType = 'offer' | 'answer' | 'pranswer' | 'rollback';

export interface RtcSdp {
  readonly type: RtcSdpType;
  readonly sdp: string;
}

export interface RtcCandidateInit {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
}

export interface RtcBridgeIceServer {
  readonly urls: string | string[];
  readonly username?: string;
  readonly credential?: string;
}

/** The RTCConfiguration members a worker may ask for; the host's own configuration overrides them. */
export interface RtcBridgeConfig {
  readonly iceServers?: RtcBridgeIceServer[];
  readonly iceTransportPolicy?: 'all' | 'relay';
  readonly bundlePolicy?: 'balanced' | 'max-bundle' | 'max-compat';
  readonly iceCandidatePoolSize?: number;
}

/** RTCDataChannelInit, minus the deprecated members. */
export interface RtcChannelInit {
  readonly ordered?: boolean;
  readonly maxPacketLifeTime?: number;
  readonly maxRetransmits?: number;
  readonly protocol?: string;
  readonly negotiated?: boolean;
  readonly id?: number;
}

export type RtcChannelState = 'connecting' | 'open' | 'closing' | 'closed';

/** A relayed channel's attributes, as the host's real channel has them. */
export interface RtcChannelInfo {
  readonly label: string;
  readonly ordered: boolean;
  readonly protocol: string;
  readonly negotiated: boolean;
  readonly id: number | null;
  readonly maxRetransmits: number | null;
  readonly maxPacketLifeTime: number | null;
  readonly readyState: RtcChannelState;
}

export type RtcSignalingState =
  | 'stable'
  | 'have-local-offer'
  | 'have-remote-offer'
  | 'have-local-pranswer'
  | 'have-remote-pranswer'
  | 'closed';
export type RtcIceGatheringState = 'new' | 'gathering' | 'complete';
export type RtcIceConnectionState =
  'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';
export type RtcConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/**
 * A snapshot of the real connection, sent with every event and response so the shim's attributes are
 * already current when its handlers run, as they would be on a real RTCPeerConnection. It carries the
 * local description because Chromium adds each gathered candidate to it: with `trickle: false`
 * (bittorrent-tracker's websocket client) simple-peer sends `localDescription` once gathering ends.
 */
export interface RtcPcState {
  readonly signalingState: RtcSignalingState;
  readonly iceGatheringState: RtcIceGatheringState;
  readonly iceConnectionState: RtcIceConnectionState;
  readonly connectionState: RtcConnectionState;
  readonly localDescription: RtcSdp | null;
  readonly remoteDescription: RtcSdp | null;
}

/** One getStats() report reduced to its plain members: transports, candidate pairs, candidates. */
export interface RtcStatsEntry {
  readonly id: string;
  readonly type: string;
  readonly timestamp: number;
  readonly [member: string]: string | number | boolean;
}

/** An error thrown by the real API, carried by name (a DOMException name such as InvalidStateError). */
export interface RtcBridgeErrorInfo {
  readonly name: string;
  readonly message: string;
}

/** What each request resolves with. */
export interface RtcRequestResults {
  /** Answered with the new connection's state; each channel says for itself how it reached the worker. */
  create: null;
  createOffer: RtcSdp;
  createAnswer: RtcSdp;
  setLocalDescription: null;
  setRemoteDescription: null;
  addIceCandidate: null;
  getStats: RtcStatsEntry[];
}

/** Worker → host, answered by one `resolve` or `reject` with the same `id`. */
export type RtcShimRequest =
  | { readonly kind: 'create'; readonly id: number; readonly pc: number; readonly config: RtcBridgeConfig }
  | { readonly kind: 'createOffer'; readonly id: number; readonly pc: number }
  | { readonly kind: 'createAnswer'; readonly id: number; readonly pc: number }
  | { readonly kind: 'getStats'; readonly id: number; readonly pc: number }
  | {
      readonly kind: 'setLocalDescription';
      readonly id: number;
      readonly pc: number;
      readonly description: RtcSdp | null;
    }
  | {
      readonly kind: 'setRemoteDescription';
      readonly id: number;
      readonly pc: number;
      readonly description: RtcSdp;
    }
  | {
      readonly kind: 'addIceCandidate';
      readonly id: number;
      readonly pc: number;
      readonly candidate: RtcCandidateInit | null;
    };

export type RtcRequestKind = RtcShimRequest['kind'];

/**
 * Worker → host, unanswered. Channel ids (`ch`) name a channel across the port: positive ones are
 * chosen by the shim (createDataChannel), negative ones by the host (channels the remote peer opened).
 */
export type RtcShimNotice =
  /** The host creates the real channel and sends back `channel` in the same task. */
  | {
      readonly kind: 'createDataChannel';
      readonly pc: number;
      readonly ch: number;
      readonly label: string;
      readonly init: RtcChannelInit;
    }
  | { readonly kind: 'close'; readonly pc: number }
  /** Relay mode only: RTCDataChannel.send, close, and bufferedAmountLowThreshold of the real channel. */
  | { readonly kind: 'relaySend'; readonly ch: number; readonly data: string | ArrayBuffer | Blob }
  | { readonly kind: 'relayClose'; readonly ch: number }
  | { readonly kind: 'relayThreshold'; readonly ch: number; readonly threshold: number };

export type RtcShimMessage = RtcShimRequest | RtcShimNotice;

export type RtcPcEventType =
  | 'icegatheringstatechange'
  | 'iceconnectionstatechange'
  | 'connectionstatechange'
  | 'signalingstatechange'
  | 'negotiationneeded';

/** Host → worker. */
export type RtcHostMessage =
  /** First message on the port: the mode the host will use for every channel it can. */
  | { readonly kind: 'hello'; readonly mode: RtcBridgeMode }
  | {
      readonly kind: 'resolve';
      readonly id: number;
      readonly value: RtcRequestResults[RtcRequestKind];
      readonly state: RtcPcState | null;
    }
  | { readonly kind: 'reject'; readonly id: number; readonly error: RtcBridgeErrorInfo }
  | {
      readonly kind: 'icecandidate';
      readonly pc: number;
      readonly candidate: RtcCandidateInit | null;
      readonly state: RtcPcState;
    }
  | {
      readonly kind: 'pcEvent';
      readonly pc: number;
      readonly type: RtcPcEventType;
      readonly state: RtcPcState;
    }
  /**
   * A real channel for the connection: the answer to createDataChannel (`announced: false`) or one the
   * remote peer opened (`announced: true`, the shim fires `datachannel`). `channel` is the transferred
   * RTCDataChannel in transfer mode, null in relay mode (then `info` describes the host's channel).
   */
  | {
      readonly kind: 'channel';
      readonly pc: number;
      readonly ch: number;
      readonly announced: boolean;
      readonly channel: RTCDataChannel | null;
      readonly info: RtcChannelInfo;
    }
  | {
      readonly kind: 'channelFailed';
      readonly pc: number;
      readonly ch: number;
      readonly error: RtcBridgeErrorInfo;
    }
  /** Relay mode only: the real channel's events. `acked` counts bytes of relaySend the host has sent. */
  | { readonly kind: 'relayOpen'; readonly ch: number; readonly id: number | null }
  | { readonly kind: 'relayMessage'; readonly ch: number; readonly data: string | ArrayBuffer }
  | {
      readonly kind: 'relayBuffered';
      readonly ch: number;
      readonly acked: number;
      readonly bufferedAmount: number;
    }
  | { readonly kind: 'relayError'; readonly ch: number; readonly error: RtcBridgeErrorInfo }
  | { readonly kind: 'relayClosing'; readonly ch: number }
  | { readonly kind: 'relayClose'; readonly ch: number };

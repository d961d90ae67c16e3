// RTCPeerConnection for a worker, driving a real one on the main thread through the bridge. It
// implements what webtorrent's WebRTC layer (@thaunknown/simple-peer, lite.js) uses: createOffer,
// createAnswer, set{Local,Remote}Description, addIceCandidate, createDataChannel, getStats, close,
// the four state attributes with their change events, icecandidate (ending with a null candidate),
// datachannel, and `localDescription` refreshed as candidates are gathered. Media is not bridged.
//
// Attributes are mirrored, not fetched: the host sends a snapshot of the real connection with every
// event and answer, and the shim applies it before handlers run or promises resolve.
//
// Data channels are the browser's own, made on the main thread exactly as asked for: createDataChannel
// has the host make one with the same label and options and returns a stand-in that becomes it a
// message later; a channel the remote peer opens arrives with a `datachannel` event, as usual.
import { RtcShimUnsupportedError } from './errors.ts';
import type {
  RtcBridgeConfig,
  RtcCandidateInit,
  RtcChannelInit,
  RtcPcState,
  RtcRequestKind,
  RtcRequestResults,
  RtcSdp,
  RtcStatsEntry,
} from './protocol.ts';
import { RtcChannelStandIn } from './shimChannelStandIn.ts';
import type { RtcChannelTarget } from './channelTarget.ts';
import { RtcRelayChannel } from './relayChannel.ts';
import type { RtcConnectionMessage, RtcRequestBody, RtcShimBridge } from './shimBridge.ts';
import { RtcShimDataChannelEvent, RtcShimIceEvent } from './shimEvents.ts';
import { RtcShimIceCandidate } from './shimIceCandidate.ts';
import { RtcShimSessionDescription } from './shimSessionDescription.ts';

type Handler<E extends Event = Event> = ((this: RtcShimPeerConnection, event: E) => unknown) | null;

const INITIAL_STATE: RtcPcState = {
  signalingState: 'stable',
  iceGatheringState: 'new',
  iceConnectionState: 'new',
  connectionState: 'new',
  localDescription: null,
  remoteDescription: null,
};

const CLOSED_STATE = {
  signalingState: 'closed',
  iceConnectionState: 'closed',
  connectionState: 'closed',
} as const;

export class RtcShimPeerConnection extends EventTarget {
  onicecandidate: Handler<RtcShimIceEvent> = null;
  onicegatheringstatechange: Handler = null;
  oniceconnectionstatechange: Handler = null;
  onconnectionstatechange: Handler = null;
  onsignalingstatechange: Handler = null;
  onnegotiationneeded: Handler = null;
  ondatachannel: Handler<RtcShimDataChannelEvent<RtcChannelTarget>> = null;
  /** Never fired: the host does not relay candidate errors (simple-peer ignores them). */
  onicecandidateerror: Handler = null;
  /** Never fired: media is not bridged. */
  ontrack: Handler = null;

  readonly #bridge: RtcShimBridge;
  readonly #config: RtcBridgeConfig;
  readonly #id: number;
  #state: RtcPcState = INITIAL_STATE;
  #localDescription: RtcShimSessionDescription | null = null;
  #remoteDescription: RtcShimSessionDescription | null = null;
  #closed = false;
  #creationError: Error | null = null;
  #standIns = new Map<number, RtcChannelStandIn>();

  constructor(bridge: RtcShimBridge, config: RtcBridgeConfig = {}) {
    super();
    this.#bridge = bridge;
    this.#config = plainConfig(config);
    this.#id = bridge.addConnection(this);
    this.#listen('icecandidate', () => this.onicecandidate);
    this.#listen('icegatheringstatechange', () => this.onicegatheringstatechange);
    this.#listen('iceconnectionstatechange', () => this.oniceconnectionstatechange);
    this.#listen('connectionstatechange', () => this.onconnectionstatechange);
    this.#listen('signalingstatechange', () => this.onsignalingstatechange);
    this.#listen('negotiationneeded', () => this.onnegotiationneeded);
    this.#listen('datachannel', () => this.ondatachannel);
    // The host creates the real connection as this message arrives, before any later request.
    bridge.request({ kind: 'create', pc: this.#id, config: this.#config }).catch((err: Error) => {
      this.#creationError = err;
    });
  }

  get localDescription(): RtcShimSessionDescription | null {
    return this.#localDescription;
  }

  get remoteDescription(): RtcShimSessionDescription | null {
    return this.#remoteDescription;
  }

  get signalingState(): RtcPcState['signalingState'] {
    return this.#state.signalingState;
  }

  get iceGatheringState(): RtcPcState['iceGatheringState'] {
    return this.#state.iceGatheringState;
  }

  get iceConnectionState(): RtcPcState['iceConnectionState'] {
    return this.#state.iceConnectionState;
  }

  get connectionState(): RtcPcState['connectionState'] {
    return this.#state.connectionState;
  }

  getConfiguration(): RtcBridgeConfig {
    return this.#config;
  }

  async createOffer(_options?: unknown): Promise<{ type: RtcSdp['type']; sdp: string }> {
    // A plain, writable object, as the real one resolves with: simple-peer edits `offer.sdp`.
    const { type, sdp } = await this.#call({ kind: 'createOffer', pc: this.#id });
    return { type, sdp };
  }

  async createAnswer(_options?: unknown): Promise<{ type: RtcSdp['type']; sdp: string }> {
    const { type, sdp } = await this.#call({ kind: 'createAnswer', pc: this.#id });
    return { type, sdp };
  }

  async setLocalDescription(description?: { type: RtcSdp['type']; sdp?: string } | null): Promise<void> {
    const plain = description ? { type: description.type, sdp: description.sdp ?? '' } : null;
    await this.#call({ kind: 'setLocalDescription', pc: this.#id, description: plain });
  }

  async setRemoteDescription(description: { type: RtcSdp['type']; sdp?: string }): Promise<void> {
    const plain = { type: description.type, sdp: description.sdp ?? '' };
    await this.#call({ kind: 'setRemoteDescription', pc: this.#id, description: plain });
  }

  async addIceCandidate(candidate?: Partial<RtcCandidateInit> | null): Promise<void> {
    const plain = candidate ? new RtcShimIceCandidate(candidate).toJSON() : null;
    await this.#call({ kind: 'addIceCandidate', pc: this.#id, candidate: plain });
  }

  /** Transports, candidate pairs and candidates only. No parameters: simple-peer tests `getStats.length`. */
  async getStats(): Promise<Map<string, RtcStatsEntry>> {
    const entries = await this.#call({ kind: 'getStats', pc: this.#id });
    return new Map(entries.map((entry) => [entry.id, entry]));
  }

  createDataChannel(label: string, init: RtcChannelInit = {}): RtcChannelStandIn {
    if (this.#closed) throw new DOMException('RTCPeerConnection is closed', 'InvalidStateError');
    if (init.negotiated === true && init.id === undefined) {
      throw new TypeError('a negotiated RTCDataChannel needs an id');
    }
    const ch = this.#bridge.nextChannelId();
    const standIn = new RtcChannelStandIn(String(label), init);
    this.#standIns.set(ch, standIn);
    this.#bridge.notify({
      kind: 'createDataChannel',
      pc: this.#id,
      ch,
      label: String(label),
      init: plainInit(init),
    });
    return standIn;
  }

  addTrack(): never {
    throw new RtcShimUnsupportedError('the worker WebRTC shim bridges data channels only, not media tracks');
  }

  addTransceiver(): never {
    throw new RtcShimUnsupportedError('the worker WebRTC shim bridges data channels only, not transceivers');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#state = { ...this.#state, ...CLOSED_STATE };
    this.#bridge.notify({ kind: 'close', pc: this.#id });
    this.#bridge.removeConnection(this.#id);
    // Channels that arrived end as the host's real ones do: Chromium fires their close events after
    // RTCPeerConnection.close(), in the worker for transferred ones, relayed for the others.
    for (const standIn of this.#standIns.values()) standIn.end();
    this.#standIns.clear();
  }

  /** Applies one message from the host about this connection. */
  receive(message: RtcConnectionMessage): void {
    if (this.#closed) return;
    switch (message.kind) {
      case 'icecandidate':
        this.#apply(message.state);
        this.dispatchEvent(
          new RtcShimIceEvent(message.candidate === null ? null : new RtcShimIceCandidate(message.candidate)),
        );
        return;
      case 'pcEvent':
        this.#apply(message.state);
        this.dispatchEvent(new Event(message.type));
        return;
      case 'channel': {
        let target: RtcChannelTarget;
        if (message.channel !== null) {
          target = message.channel;
        } else {
          const relay = new RtcRelayChannel(message.ch, message.info, (notice, transfer) =>
            this.#bridge.notify(notice, transfer),
          );
          this.#bridge.addRelay(relay);
          target = relay;
        }
        this.#bridge.observeChannel(target, message.channel !== null ? 'transfer' : 'relay');
        if (message.announced) {
          this.dispatchEvent(new RtcShimDataChannelEvent(target));
        } else {
          this.#standIns.get(message.ch)?.attach(target);
          this.#standIns.delete(message.ch);
        }
        return;
      }
      case 'channelFailed':
        this.#standIns.get(message.ch)?.fail(`${message.error.name}: ${message.error.message}`);
        this.#standIns.delete(message.ch);
        return;
    }
  }

  async #call<K extends RtcRequestKind>(body: RtcRequestBody<K>): Promise<RtcRequestResults[K]> {
    if (this.#closed) throw new DOMException('RTCPeerConnection is closed', 'InvalidStateError');
    try {
      const { value, state } = await this.#bridge.request(body);
      if (state !== null && !this.#closed) this.#apply(state);
      return value;
    } catch (err) {
      // Requests on a connection the host could not create fail with the reason it could not.
      throw this.#creationError ?? err;
    }
  }

  #apply(state: RtcPcState): void {
    this.#state = state;
    if (!sameSdp(this.#localDescription, state.localDescription)) {
      this.#localDescription =
        state.localDescription && new RtcShimSessionDescription(state.localDescription);
    }
    if (!sameSdp(this.#remoteDescription, state.remoteDescription)) {
      this.#remoteDescription =
        state.remoteDescription && new RtcShimSessionDescription(state.remoteDescription);
    }
  }

  /** Runs the `on<type>` handler for every event of that type, after listeners added before it. */
  #listen<E extends Event>(type: string, handler: () => Handler<E>): void {
    this.addEventListener(type, (event) => handler()?.call(this, event as E));
  }
}

function sameSdp(a: RtcSdp | null, b: RtcSdp | null): boolean {
  return a === b || (a !== null && b !== null && a.type === b.type && a.sdp === b.sdp);
}

/** Only the members the port can carry and the host may use; anything else is left behind. */
function plainConfig(config: RtcBridgeConfig): RtcBridgeConfig {
  const plain: { -readonly [K in keyof RtcBridgeConfig]: RtcBridgeConfig[K] } = {};
  if (config.iceServers !== undefined) {
    plain.iceServers = config.iceServers.map(({ urls, username, credential }) => ({
      urls: Array.isArray(urls) ? [...urls] : urls,
      ...(username === undefined ? {} : { username }),
      ...(credential === undefined ? {} : { credential }),
    }));
  }
  if (config.iceTransportPolicy !== undefined) plain.iceTransportPolicy = config.iceTransportPolicy;
  if (config.bundlePolicy !== undefined) plain.bundlePolicy = config.bundlePolicy;
  if (config.iceCandidatePoolSize !== undefined) plain.iceCandidatePoolSize = config.iceCandidatePoolSize;
  return plain;
}

function plainInit(init: RtcChannelInit): RtcChannelInit {
  const plain: { -readonly [K in keyof RtcChannelInit]: RtcChannelInit[K] } = {};
  if (init.ordered !== undefined) plain.ordered = init.ordered;
  if (init.maxPacketLifeTime !== undefined) plain.maxPacketLifeTime = init.maxPacketLifeTime;
  if (init.maxRetransmits !== undefined) plain.maxRetransmits = init.maxRetransmits;
  if (init.protocol !== undefined) plain.protocol = init.protocol;
  if (init.negotiated !== undefined) plain.negotiated = init.negotiated;
  if (init.id !== undefined) plain.id = init.id;
  return plain;
}

// A data channel in the worker whose bytes go through the bridge's MessagePort to the real channel on
// the main thread: the fallback where the browser cannot transfer RTCDataChannels (Firefox), or when
// the host is told to relay. It behaves like an RTCDataChannel for webtorrent: binaryType, open,
// message, error, closing and close events, and backpressure through bufferedAmount and
// bufferedamountlow.
//
// bufferedAmount is an approximation that never under-reports: the bytes sent here that the host has
// not yet handed to its channel, plus that channel's own bufferedAmount when the host last reported
// it. The host reports after each batch of sends and when its channel's bufferedamountlow fires (the
// threshold set here is set there too), so a falling bufferedAmount is always seen here.
import type { RtcChannelInfo, RtcHostMessage, RtcShimNotice } from './protocol.ts';
import type { RtcChannelData, RtcChannelTarget } from './channelTarget.ts';

type Handler = ((this: RtcRelayChannel, event: Event) => unknown) | null;
type RelayEvent = Extract<RtcHostMessage, { kind: `relay${string}` }>;
type Post = (message: RtcShimNotice, transfer?: Transferable[]) => void;

const utf8 = new TextEncoder();

export class RtcRelayChannel extends EventTarget implements RtcChannelTarget {
  onopen: Handler = null;
  onmessage: ((this: RtcRelayChannel, event: MessageEvent) => unknown) | null = null;
  onclose: Handler = null;
  onclosing: Handler = null;
  onerror: Handler = null;
  onbufferedamountlow: Handler = null;
  binaryType: BinaryType = 'arraybuffer';
  readonly label: string;
  readonly ordered: boolean;
  readonly protocol: string;
  readonly negotiated: boolean;
  readonly maxRetransmits: number | null;
  readonly maxPacketLifeTime: number | null;
  #id: number | null;
  #readyState: RTCDataChannelState;
  #opened = false;
  #threshold = 0;
  #unacked = 0;
  #hostBuffered = 0;

  constructor(
    readonly ch: number,
    info: RtcChannelInfo,
    private readonly post: Post,
  ) {
    super();
    this.label = info.label;
    this.ordered = info.ordered;
    this.protocol = info.protocol;
    this.negotiated = info.negotiated;
    this.maxRetransmits = info.maxRetransmits;
    this.maxPacketLifeTime = info.maxPacketLifeTime;
    this.#id = info.id;
    this.#readyState = info.readyState;
    this.addEventListener('open', (e) => this.onopen?.call(this, e));
    this.addEventListener('message', (e) => this.onmessage?.call(this, e as MessageEvent));
    this.addEventListener('close', (e) => this.onclose?.call(this, e));
    this.addEventListener('closing', (e) => this.onclosing?.call(this, e));
    this.addEventListener('error', (e) => this.onerror?.call(this, e));
    this.addEventListener('bufferedamountlow', (e) => this.onbufferedamountlow?.call(this, e));
  }

  get id(): number | null {
    return this.#id;
  }

  get readyState(): RTCDataChannelState {
    return this.#readyState;
  }

  get bufferedAmount(): number {
    return this.#unacked + this.#hostBuffered;
  }

  get bufferedAmountLowThreshold(): number {
    return this.#threshold;
  }

  set bufferedAmountLowThreshold(value: number) {
    this.#threshold = value;
    this.post({ kind: 'relayThreshold', ch: this.ch, threshold: value });
  }

  send(data: RtcChannelData): void {
    if (this.#readyState !== 'open') {
      throw new DOMException(`RTCDataChannel is ${this.#readyState}`, 'InvalidStateError');
    }
    if (typeof data === 'string') {
      this.#unacked += utf8.encode(data).byteLength;
      this.post({ kind: 'relaySend', ch: this.ch, data });
    } else if (data instanceof Blob) {
      this.#unacked += data.size;
      this.post({ kind: 'relaySend', ch: this.ch, data });
    } else {
      // A copy the port can transfer: send() must leave the caller's buffer as it was.
      const view =
        data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const copy = view.slice().buffer;
      this.#unacked += copy.byteLength;
      this.post({ kind: 'relaySend', ch: this.ch, data: copy }, [copy]);
    }
  }

  close(): void {
    if (this.#readyState === 'closing' || this.#readyState === 'closed') return;
    this.#readyState = 'closing';
    this.post({ kind: 'relayClose', ch: this.ch });
  }

  /** Applies one event of the host's channel. */
  receive(event: RelayEvent): void {
    switch (event.kind) {
      case 'relayOpen':
        // A channel the remote peer opened is already 'open' when announced; Chromium still fires
        // `open` after the datachannel event, and simple-peer waits for it.
        if (this.#opened || this.#readyState === 'closing' || this.#readyState === 'closed') return;
        this.#opened = true;
        this.#id = event.id;
        this.#readyState = 'open';
        this.dispatchEvent(new Event('open'));
        return;
      case 'relayMessage': {
        const data =
          this.binaryType === 'blob' && event.data instanceof ArrayBuffer
            ? new Blob([event.data])
            : event.data;
        this.dispatchEvent(new MessageEvent('message', { data }));
        return;
      }
      case 'relayBuffered': {
        const before = this.bufferedAmount;
        this.#unacked = Math.max(0, this.#unacked - event.acked);
        this.#hostBuffered = event.bufferedAmount;
        if (before > this.#threshold && this.bufferedAmount <= this.#threshold) {
          this.dispatchEvent(new Event('bufferedamountlow'));
        }
        return;
      }
      case 'relayError':
        this.dispatchEvent(
          new ErrorEvent('error', {
            message: event.error.message,
            error: new DOMException(event.error.message, event.error.name),
          }),
        );
        return;
      case 'relayClosing':
        if (this.#readyState === 'closed') return;
        this.#readyState = 'closing';
        this.dispatchEvent(new Event('closing'));
        return;
      case 'relayClose':
        if (this.#readyState === 'closed') return;
        this.#readyState = 'closed';
        this.dispatchEvent(new Event('close'));
        return;
    }
  }
}

// What the shim's createDataChannel returns. The real channel is made on the main thread and reaches
// the worker a message later, but createDataChannel must return at once (simple-peer sets the
// channel's handlers on the next line), so it returns this stand-in: it keeps handlers, listeners and
// settings until the channel arrives, then hands them over and forwards every member to it. Handlers
// are installed on the real channel itself, so once attached a message costs nothing extra here.
import type { RtcChannelInit } from './protocol.ts';
import {
  RTC_CHANNEL_HANDLER_NAMES,
  type RtcChannelData,
  type RtcChannelHandlerName,
  type RtcChannelTarget,
} from './channelTarget.ts';

type Handler = ((event: Event) => unknown) | null;
type MessageHandler = ((event: MessageEvent) => unknown) | null;
type PendingListener = [
  type: string,
  listener: EventListenerOrEventListenerObject,
  options?: boolean | AddEventListenerOptions,
];

export class RtcChannelStandIn extends EventTarget implements RtcChannelTarget {
  readonly label: string;
  readonly ordered: boolean;
  readonly protocol: string;
  readonly negotiated: boolean;
  readonly maxRetransmits: number | null;
  readonly maxPacketLifeTime: number | null;
  #target: RtcChannelTarget | null = null;
  #ended = false;
  #closeRequested = false;
  #binaryType: BinaryType = 'arraybuffer';
  #threshold = 0;
  #handlers: Record<RtcChannelHandlerName, Handler | MessageHandler> = {
    onopen: null,
    onmessage: null,
    onclose: null,
    onclosing: null,
    onerror: null,
    onbufferedamountlow: null,
  };
  #pending: PendingListener[] = [];

  constructor(label: string, init: RtcChannelInit) {
    super();
    this.label = label;
    this.ordered = init.ordered ?? true;
    this.protocol = init.protocol ?? '';
    this.negotiated = init.negotiated ?? false;
    this.maxRetransmits = init.maxRetransmits ?? null;
    this.maxPacketLifeTime = init.maxPacketLifeTime ?? null;
    // Only events dispatched here (a channel that never arrives) reach handlers through these; once
    // attached, the handlers live on the real channel.
    for (const name of RTC_CHANNEL_HANDLER_NAMES) {
      super.addEventListener(name.slice(2), (event) => {
        if (this.#target === null) (this.#handlers[name] as Handler)?.call(this, event);
      });
    }
  }

  /** The real (or relayed) channel arrived: hand everything over. */
  attach(target: RtcChannelTarget): void {
    if (this.#target !== null || this.#ended) return;
    this.#target = target;
    target.binaryType = this.#binaryType;
    target.bufferedAmountLowThreshold = this.#threshold;
    for (const name of RTC_CHANNEL_HANDLER_NAMES) setHandler(target, name, this.#handlers[name]);
    for (const [type, listener, options] of this.#pending) {
      super.removeEventListener(type, listener, options);
      target.addEventListener(type, listener, options);
    }
    this.#pending = [];
    if (this.#closeRequested) target.close();
  }

  /** The host could not make the channel: it ends as a real one would on an error. */
  fail(message: string): void {
    if (this.#target !== null || this.#ended) return;
    this.#ended = true;
    this.dispatchEvent(new ErrorEvent('error', { message, error: new Error(message) }));
    this.dispatchEvent(new Event('close'));
  }

  /** The connection was closed before the channel arrived, so it never will: it reads 'closed' now. */
  end(): void {
    if (this.#target === null) this.#ended = true;
  }

  get readyState(): RTCDataChannelState {
    if (this.#target !== null) return this.#target.readyState;
    if (this.#ended) return 'closed';
    return this.#closeRequested ? 'closing' : 'connecting';
  }

  get id(): number | null {
    return this.#target?.id ?? null;
  }

  get bufferedAmount(): number {
    return this.#target?.bufferedAmount ?? 0;
  }

  get binaryType(): BinaryType {
    return this.#target?.binaryType ?? this.#binaryType;
  }

  set binaryType(value: BinaryType) {
    this.#binaryType = value;
    if (this.#target !== null) this.#target.binaryType = value;
  }

  get bufferedAmountLowThreshold(): number {
    return this.#target?.bufferedAmountLowThreshold ?? this.#threshold;
  }

  set bufferedAmountLowThreshold(value: number) {
    this.#threshold = value;
    if (this.#target !== null) this.#target.bufferedAmountLowThreshold = value;
  }

  send(data: RtcChannelData): void {
    // A channel still on its way is not open yet: a real one in 'connecting' throws the same.
    if (this.#target === null)
      throw new DOMException(`RTCDataChannel is ${this.readyState}`, 'InvalidStateError');
    this.#target.send(data);
  }

  close(): void {
    if (this.#target !== null) this.#target.close();
    else this.#closeRequested = true;
  }

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (listener === null) return;
    if (this.#target !== null) return this.#target.addEventListener(type, listener, options);
    this.#pending.push([type, listener, options]);
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    if (listener === null) return;
    if (this.#target !== null) return this.#target.removeEventListener(type, listener, options);
    const capture = typeof options === 'boolean' ? options : (options?.capture ?? false);
    this.#pending = this.#pending.filter(
      ([t, l, o]) =>
        !(t === type && l === listener && (typeof o === 'boolean' ? o : (o?.capture ?? false)) === capture),
    );
    super.removeEventListener(type, listener, options);
  }

  get onopen(): Handler {
    return this.#handler('onopen') as Handler;
  }
  set onopen(handler: Handler) {
    this.#setHandler('onopen', handler);
  }
  get onmessage(): MessageHandler {
    return this.#handler('onmessage') as MessageHandler;
  }
  set onmessage(handler: MessageHandler) {
    this.#setHandler('onmessage', handler);
  }
  get onclose(): Handler {
    return this.#handler('onclose') as Handler;
  }
  set onclose(handler: Handler) {
    this.#setHandler('onclose', handler);
  }
  get onclosing(): Handler {
    return this.#handler('onclosing') as Handler;
  }
  set onclosing(handler: Handler) {
    this.#setHandler('onclosing', handler);
  }
  get onerror(): Handler {
    return this.#handler('onerror') as Handler;
  }
  set onerror(handler: Handler) {
    this.#setHandler('onerror', handler);
  }
  get onbufferedamountlow(): Handler {
    return this.#handler('onbufferedamountlow') as Handler;
  }
  set onbufferedamountlow(handler: Handler) {
    this.#setHandler('onbufferedamountlow', handler);
  }

  #handler(name: RtcChannelHandlerName): Handler | MessageHandler {
    return this.#handlers[name];
  }

  #setHandler(name: RtcChannelHandlerName, handler: Handler | MessageHandler): void {
    this.#handlers[name] = handler;
    if (this.#target !== null) setHandler(this.#target, name, handler);
  }
}

/**
 * Sets an event handler property on a channel. The handler types of RTCDataChannel (its `this`, its
 * event types per lib) and of the relayed channel differ only in ways a handler cannot notice.
 */
function setHandler(target: RtcChannelTarget, name: RtcChannelHandlerName, handler: unknown): void {
  (target as unknown as Record<RtcChannelHandlerName, unknown>)[name] = handler;
}

// The worker's end of the WebRTC bridge port: numbers connections, channels and requests, matches
// answers to requests, and routes the host's events to the connection or relayed channel they name.
import { RtcBridgeClosedError } from './errors.ts';
import type {
  RtcBridgeMode,
  RtcHostMessage,
  RtcPcState,
  RtcRequestKind,
  RtcRequestResults,
  RtcShimNotice,
  RtcShimRequest,
} from './protocol.ts';
import type { RtcChannelTarget } from './channelTarget.ts';
import type { RtcRelayChannel } from './relayChannel.ts';

/** The host messages that concern one connection. */
export type RtcConnectionMessage = Extract<RtcHostMessage, { pc: number }>;

/** What the bridge needs of a shimmed RTCPeerConnection. */
export interface RtcBridgedConnection {
  receive(message: RtcConnectionMessage): void;
  close(): void;
}

/** A request without its id; the `& { kind: K }` is what lets `request()` infer K from the call. */
export type RtcRequestBody<K extends RtcRequestKind> = Omit<Extract<RtcShimRequest, { kind: K }>, 'id'> & {
  kind: K;
};

export interface RtcAnswer<K extends RtcRequestKind> {
  readonly value: RtcRequestResults[K];
  readonly state: RtcPcState | null;
}

/** Called with each data channel as it reaches the worker, with how it got there. */
export type RtcChannelObserver = (channel: RtcChannelTarget, mode: RtcBridgeMode) => void;

interface Pending {
  resolve(answer: RtcAnswer<RtcRequestKind>): void;
  reject(error: Error): void;
}

export class RtcShimBridge {
  readonly ready: Promise<RtcBridgeMode>;
  #mode: RtcBridgeMode | null = null;
  #closed = false;
  #nextRequest = 1;
  #nextConnection = 1;
  #nextChannel = 1;
  #pending = new Map<number, Pending>();
  #connections = new Map<number, RtcBridgedConnection>();
  #relays = new Map<number, RtcRelayChannel>();
  #resolveReady: (mode: RtcBridgeMode) => void = () => {};
  #rejectReady: (error: Error) => void = () => {};

  constructor(
    private readonly port: MessagePort,
    readonly observeChannel: RtcChannelObserver = () => {},
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // A caller that never awaits `ready` must not see an unhandled rejection when the bridge closes.
    this.ready.catch(() => {});
    // Assigning onmessage also starts the port.
    port.onmessage = (event: MessageEvent<RtcHostMessage>) => this.#receive(event.data);
  }

  /** The host's mode, once its hello has arrived. */
  get mode(): RtcBridgeMode | null {
    return this.#mode;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  addConnection(connection: RtcBridgedConnection): number {
    if (this.#closed) throw new RtcBridgeClosedError('the WebRTC bridge to the main thread is closed');
    const id = this.#nextConnection++;
    this.#connections.set(id, connection);
    return id;
  }

  removeConnection(id: number): void {
    this.#connections.delete(id);
  }

  nextChannelId(): number {
    return this.#nextChannel++;
  }

  addRelay(channel: RtcRelayChannel): void {
    this.#relays.set(channel.ch, channel);
  }

  request<K extends RtcRequestKind>(body: RtcRequestBody<K>): Promise<RtcAnswer<K>> {
    if (this.#closed)
      return Promise.reject(new RtcBridgeClosedError('the WebRTC bridge to the main thread is closed'));
    const id = this.#nextRequest++;
    return new Promise<RtcAnswer<K>>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      this.port.postMessage({ ...body, id } as RtcShimRequest);
    });
  }

  /** Sends a notice; after close() there is no one to tell, so it is dropped. */
  notify(notice: RtcShimNotice, transfer: Transferable[] = []): void {
    if (!this.#closed) this.port.postMessage(notice, transfer);
  }

  /** Closes every connection, fails what is pending, and closes the port. */
  close(): void {
    if (this.#closed) return;
    for (const connection of [...this.#connections.values()]) connection.close();
    this.#closed = true;
    const error = new RtcBridgeClosedError('the WebRTC bridge to the main thread is closed');
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#rejectReady(error);
    this.port.close();
  }

  #receive(message: RtcHostMessage): void {
    switch (message.kind) {
      case 'hello':
        this.#mode = message.mode;
        this.#resolveReady(message.mode);
        return;
      case 'resolve':
      case 'reject': {
        const pending = this.#pending.get(message.id);
        if (pending === undefined) return;
        this.#pending.delete(message.id);
        if (message.kind === 'resolve') pending.resolve({ value: message.value, state: message.state });
        // The real API's errors are DOMExceptions; rethrown as one of the same name, callers that
        // test `err.name` (InvalidStateError, OperationError…) behave as with a real connection.
        else pending.reject(new DOMException(message.error.message, message.error.name));
        return;
      }
      case 'relayOpen':
      case 'relayMessage':
      case 'relayBuffered':
      case 'relayError':
      case 'relayClosing':
      case 'relayClose':
        this.#relays.get(message.ch)?.receive(message);
        if (message.kind === 'relayClose') this.#relays.delete(message.ch);
        return;
      default:
        this.#connections.get(message.pc)?.receive(message);
    }
  }
}

// Types for the parts of `ws` 8 the tracker and its tests use. `ws` comes with bittorrent-tracker and has
// no @types package here; events stay EventEmitter's, so listeners annotate their own arguments.
declare module 'ws' {
  import { EventEmitter } from 'node:events';

  export interface ClientOptions {
    readonly maxPayload?: number;
    readonly handshakeTimeout?: number;
    /** Handed to http.request: the local address to connect from (tests pick a 127.0.0.0/8 source). */
    readonly localAddress?: string;
    /** Extra headers of the upgrade request (tests write their own X-Forwarded-For). */
    readonly headers?: Readonly<Record<string, string>>;
  }

  export class WebSocket extends EventEmitter {
    static readonly CONNECTING: 0;
    static readonly OPEN: 1;
    static readonly CLOSING: 2;
    static readonly CLOSED: 3;
    constructor(address: string, options?: ClientOptions);
    readonly readyState: 0 | 1 | 2 | 3;
    readonly bufferedAmount: number;
    send(data: string | Uint8Array, callback?: (err?: Error) => void): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
  }

  export interface ServerOptions {
    readonly maxPayload?: number;
    readonly noServer?: boolean;
    readonly perMessageDeflate?: boolean;
    readonly clientTracking?: boolean;
  }

  /** Emits 'connection' (socket: WebSocket, request: IncomingMessage). */
  export class WebSocketServer extends EventEmitter {
    constructor(options: ServerOptions);
    close(callback?: (err?: Error) => void): void;
  }

  export default WebSocket;
}

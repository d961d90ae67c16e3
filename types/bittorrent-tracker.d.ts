// bittorrent-tracker ships no types: the parts of its Server and Client that the project uses.
declare module 'bittorrent-tracker' {
  import type { EventEmitter } from 'node:events';
  import type { Server as HttpServer } from 'node:http';

  export interface ServerOptions {
    udp?: boolean;
    http?: boolean;
    ws?: boolean;
    stats?: boolean;
    trustProxy?: boolean;
    interval?: number;
    peersCacheLength?: number;
    peersCacheTtl?: number;
    filter?: (infoHash: string, params: Record<string, unknown>, cb: (err?: Error | null) => void) => void;
  }

  export class Server extends EventEmitter {
    constructor(opts?: ServerOptions);
    readonly http: HttpServer;
    /** The ws WebSocketServer (no types installed for ws). */
    readonly ws: (EventEmitter & { options: Record<string, unknown> }) | undefined;
    readonly torrents: Record<string, unknown>;
    listen(port: number, hostname: string, onlistening?: () => void): void;
    listen(port: number, onlistening?: () => void): void;
    close(cb?: () => void): void;
  }

  export interface ClientOptions {
    infoHash: string | Uint8Array;
    peerId: string | Uint8Array;
    announce: string[];
    port?: number;
    getAnnounceOpts?: () => Record<string, unknown>;
    rtcConfig?: unknown;
  }

  export default class Client extends EventEmitter {
    constructor(opts: ClientOptions);
    start(opts?: Record<string, unknown>): void;
    stop(opts?: Record<string, unknown>): void;
    complete(opts?: Record<string, unknown>): void;
    update(opts?: Record<string, unknown>): void;
    scrape(opts?: Record<string, unknown>): void;
    destroy(cb?: () => void): void;
  }
}

// The WebSocket tracker client, for its socket pool: one pooled socket per announce URL, shared by every
// torrent of the process that announces there (lib/client/websocket-tracker.js).
declare module 'bittorrent-tracker/websocket-tracker' {
  import type { EventEmitter } from 'node:events';

  const WebSocketTracker: {
    readonly _socketPool: Record<string, EventEmitter & { consumers?: number }>;
  };
  export default WebSocketTracker;
}

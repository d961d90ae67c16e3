// Per-socket limits for the WebSocket tracker. bittorrent-tracker attaches its message handler in its own
// 'connection' listener; ours runs right after it and puts a token bucket in front of that handler, so a
// message over the rate never reaches the tracker. One browser socket carries the announces of every
// torrent its page seeds (about one per transaction at start), so the bucket allows that burst and
// closes only sockets that keep going. Message size is bounded by the ws server's maxPayload.
import type { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { TokenBucket } from '../src/rateLimit/tokenBucket.ts';

export interface SocketRate {
  /** Messages a socket may send at once (a page seeding this many torrents announces them together). */
  readonly burst: number;
  /** Messages per second after the burst. */
  readonly perSecond: number;
}

/** Close code 1008: policy violation (RFC 6455 §7.4.1). */
export const CLOSE_POLICY = 1008;

/** A socket as bittorrent-tracker's onWebSocketConnection decorates it (server.js). */
interface TrackerSocket extends WebSocket {
  onMessageBound: ((data: Buffer) => void) | null;
  /** Set on close; the tracker then drops the answers still in flight for this socket. */
  destroyed?: boolean;
}

export interface TrackerSockets {
  /** Open sockets, so close() can end them (http.Server.close waits for upgraded sockets). */
  readonly open: ReadonlySet<WebSocket>;
  terminateAll(): void;
}

/** `ws` is the tracker's WebSocketServer (server.ws); it emits 'connection' (socket, request). */
export function guardTrackerSockets(ws: EventEmitter, rate: SocketRate): TrackerSockets {
  const open = new Set<WebSocket>();
  ws.on('connection', (socket: TrackerSocket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    const handler = socket.onMessageBound;
    if (typeof handler !== 'function') {
      // bittorrent-tracker changed how it listens: refuse rather than run without a bound.
      socket.close(1011, 'tracker cannot bound this socket');
      return;
    }
    const bucket = new TokenBucket(rate.burst, rate.perSecond);
    let closing = false;
    const guarded = (data: Buffer): void => {
      if (closing) return;
      if (!bucket.take()) {
        closing = true;
        // Without this the tracker would still answer the ~burst messages in flight, each send
        // failing on the closing socket and each failure running its close handling again.
        socket.destroyed = true;
        socket.close(CLOSE_POLICY, `more than ${rate.perSecond} messages a second`);
        return;
      }
      handler(data);
    };
    socket.off('message', handler);
    socket.on('message', guarded);
    // bittorrent-tracker removes `onMessageBound` on close: let it remove the guarded one.
    socket.onMessageBound = guarded;
  });
  return {
    open,
    terminateAll: () => {
      for (const socket of open) socket.terminate();
    },
  };
}

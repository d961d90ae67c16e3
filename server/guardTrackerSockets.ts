// Limits on the WebSocket tracker's sockets, per socket and per source (an IPv4 address or an IPv6 /64,
// sourceKeyOf). A message over a rate never reaches the tracker; the socket that sent it is closed.
//
// - A source holds at most `socketsPerSource` open sockets; one more is closed at once (1008). A page
//   holds one per tracker for its node and one for its scraper, so a few tabs of one household fit.
// - Each socket: a token bucket of `rate` (one browser socket carries the announces of every torrent its
//   page seeds, about one per transaction at start, so the burst allows that and then closes sockets that
//   keep going).
// - Each source: a token bucket of `sourceRate` shared by all its sockets, so opening more sockets buys no
//   more announces. The buckets of sources that went quiet are forgotten (KeyedRateLimiter).
// - The source is the client's address as `clientOf` tells it (trustedProxies.ts: behind a listed
//   reverse proxy, the forwarded client, not the proxy).
// - A full scrape (a scrape without info_hash) is answered from the cached snapshot, not by the tracker.
// - The open-socket map holds only open sockets; message size is bounded by the ws server's maxPayload.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { TokenBucket } from '../src/rateLimit/tokenBucket.ts';
import { KeyedRateLimiter } from './keyedRateLimiter.ts';
import { sourceKeyOf } from './sourceKey.ts';
import type { ClientOf } from './trustedProxies.ts';
import type { FullScrape } from './trackerFullScrape.ts';
import { dropPendingAnswers, interceptMessages } from './trackerInternals.ts';

export interface SocketRate {
  /** Messages at once. */
  readonly burst: number;
  /** Messages per second after the burst. */
  readonly perSecond: number;
}

export interface SocketLimits {
  /** Per socket. */
  readonly rate: SocketRate;
  /** Per source, over all its sockets. */
  readonly sourceRate: SocketRate;
  readonly socketsPerSource: number;
}

/** Close code 1008: policy violation (RFC 6455 §7.4.1). */
export const CLOSE_POLICY = 1008;

export interface TrackerSockets {
  /** Open sockets, so close() can end them (http.Server.close waits for upgraded sockets). */
  readonly open: ReadonlySet<WebSocket>;
  /** Open sockets per source. */
  openFrom(source: string): number;
  terminateAll(): void;
}

/** A scrape without info_hash, cheaply told apart from announces (which are larger and say "announce"). */
function isFullScrape(data: Buffer): boolean {
  if (data.length > 200 || !data.includes('"scrape"')) return false;
  try {
    const message = JSON.parse(data.toString('utf8')) as { action?: unknown; info_hash?: unknown };
    return message.action === 'scrape' && message.info_hash == null;
  } catch {
    return false;
  }
}

/** `ws` is the tracker's WebSocketServer (server.ws); it emits 'connection' (socket, request). */
export function guardTrackerSockets(
  ws: EventEmitter,
  limits: SocketLimits,
  fullScrape: FullScrape,
  clientOf: ClientOf,
): TrackerSockets {
  const open = new Set<WebSocket>();
  const bySource = new Map<string, number>();
  const sourceRate = new KeyedRateLimiter({
    burst: limits.sourceRate.burst,
    perMinute: limits.sourceRate.perSecond * 60,
  });
  ws.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const source = sourceKeyOf(clientOf(req));
    open.add(socket);
    bySource.set(source, (bySource.get(source) ?? 0) + 1);
    socket.once('close', () => {
      open.delete(socket);
      const left = (bySource.get(source) ?? 1) - 1;
      if (left > 0) bySource.set(source, left);
      else bySource.delete(source);
    });
    let closing = false;
    const refuse = (why: string): void => {
      closing = true;
      // Without this the tracker would still answer the messages in flight, each send failing on the
      // closing socket and each failure running its close handling again.
      dropPendingAnswers(socket);
      socket.close(CLOSE_POLICY, why);
    };
    if (bySource.get(source)! > limits.socketsPerSource) {
      refuse(`more than ${limits.socketsPerSource} sockets from this address`);
      return;
    }
    const bucket = new TokenBucket(limits.rate.burst, limits.rate.perSecond);
    const guarded = interceptMessages(socket, (data, pass) => {
      if (closing) return;
      if (!bucket.take()) return refuse(`more than ${limits.rate.perSecond} messages a second`);
      if (!sourceRate.take(source).ok) {
        return refuse(`more than ${limits.sourceRate.perSecond} messages a second from this address`);
      }
      if (isFullScrape(data)) socket.send(fullScrape.json());
      else pass(data);
    });
    // bittorrent-tracker changed how it listens: refuse rather than run without a bound.
    if (!guarded) socket.close(1011, 'tracker cannot bound this socket');
  });
  return {
    open,
    openFrom: (source) => bySource.get(source) ?? 0,
    terminateAll: () => {
      for (const socket of open) socket.terminate();
    },
  };
}

// The one place that reaches into bittorrent-tracker's private state (server.js, lib/server/swarm.js,
// version 11.2.3, pinned in package.json). Everything else uses its options (`filter`, `ws`) and events.
// Each hook says what it relies on; if an upgrade moves any of it, the checks here refuse to run
// unbounded rather than silently lose a bound (guardTrackerSockets closes sockets it cannot guard).
//
// Relied on:
// - onWebSocketConnection sets `socket.onMessageBound` and listens with it; _onWebSocketClose removes
//   whatever `onMessageBound` then is, and sets `socket.destroyed`, which makes pending answers drop.
// - `server.torrents` maps hex infohash → Swarm; createSwarm/getSwarm read and write it (documented as
//   overridable), _onWebSocketClose and the full scrape read it directly. Nothing holds a Swarm across a
//   timer tick, so deleting an empty one between ticks is safe.
// - Swarm: `complete`, `incomplete`, `peers` (an `lru` 3.x cache: `keys`, `length`, `peek()` drops an
//   expired peer, which emits 'evict' and so updates the counts).
// - With `http` on and `stats` off, the constructor adds exactly one 'request' listener to `server.http`,
//   on the next tick, which answers with `onHttpRequest(req, res)` (server.js); onHttpRequest answers a
//   request whenever it is called, so it may be called later than the request came.
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';

interface LruLike {
  readonly keys: string[];
  readonly length: number;
  peek(key: string): unknown;
}

interface SwarmLike {
  readonly complete: number;
  readonly incomplete: number;
  readonly peers: LruLike;
}

/** bittorrent-tracker's Server as these hooks see it. */
export interface TrackerServerLike {
  readonly torrents: Record<string, SwarmLike>;
}

interface HttpTrackerLike {
  readonly http: HttpServer;
  onHttpRequest(req: IncomingMessage, res: ServerResponse): void;
}

/** Hands a request to the tracker's own HTTP handler (announce, scrape). */
export type AnswerHttp = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Makes `handler` the only 'request' listener of the tracker's HTTP server, in place of
 * bittorrent-tracker's (which answers at once every request not yet answered): `handler` is handed the
 * tracker's answering function to call when, and if, a request may go on — later for a paced one. Call
 * it right after constructing the server; it waits the tick bittorrent-tracker adds its listener on.
 */
export async function takeOverHttpRequests(
  server: unknown,
  handler: (req: IncomingMessage, res: ServerResponse, answer: AnswerHttp) => void,
): Promise<void> {
  await new Promise<void>((resolve) => process.nextTick(resolve));
  const tracker = server as HttpTrackerLike;
  if (tracker.http.listenerCount('request') !== 1 || typeof tracker.onHttpRequest !== 'function') {
    throw new TypeError('bittorrent-tracker no longer answers HTTP as trackerInternals.ts expects');
  }
  const answer: AnswerHttp = (req, res) => tracker.onHttpRequest(req, res);
  tracker.http.removeAllListeners('request');
  tracker.http.on('request', (req: IncomingMessage, res: ServerResponse) => handler(req, res, answer));
}

interface TrackerSocket extends WebSocket {
  onMessageBound: ((data: Buffer) => void) | null;
  destroyed?: boolean;
}

/**
 * Puts `guard` in front of the tracker's message handler of a freshly connected socket; `guard` calls
 * `pass(data)` for what the tracker should see. False if the socket is not as expected.
 */
export function interceptMessages(
  socket: WebSocket,
  guard: (data: Buffer, pass: (data: Buffer) => void) => void,
): boolean {
  const s = socket as TrackerSocket;
  const handler = s.onMessageBound;
  if (typeof handler !== 'function') return false;
  const guarded = (data: Buffer): void => guard(data, handler);
  s.off('message', handler);
  s.on('message', guarded);
  // bittorrent-tracker removes `onMessageBound` on close: let it remove the guarded one.
  s.onMessageBound = guarded;
  return true;
}

/** Makes the tracker drop the answers still in flight for a socket we are closing. */
export function dropPendingAnswers(socket: WebSocket): void {
  (socket as TrackerSocket).destroyed = true;
}

export function hasSwarm(server: TrackerServerLike, infoHash: string): boolean {
  return Object.hasOwn(server.torrents, infoHash);
}

/** Every swarm with at least one peer: [hex infohash, complete, incomplete]. */
export function* activeSwarms(server: TrackerServerLike): Generator<[string, number, number]> {
  for (const infoHash in server.torrents) {
    const swarm = server.torrents[infoHash]!;
    if (swarm.peers.length > 0) yield [infoHash, swarm.complete, swarm.incomplete];
  }
}

/**
 * Expires peers past their TTL (lru drops them only when looked at) and deletes swarms left empty;
 * answers how many swarms remain. bittorrent-tracker itself never deletes a swarm.
 */
export function sweepSwarms(server: TrackerServerLike): number {
  let left = 0;
  for (const infoHash in server.torrents) {
    const peers = server.torrents[infoHash]!.peers;
    for (const key of peers.keys) peers.peek(key);
    if (peers.length === 0) delete server.torrents[infoHash];
    else left++;
  }
  return left;
}

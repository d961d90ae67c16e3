// The node's tracker: bittorrent-tracker's Server with HTTP and WebSocket on one port and UDP off (a
// browser cannot speak UDP), bounded message sizes and rates, and a persisted record of every infohash
// announced to it. Full scrapes come from bittorrent-tracker itself (HTTP /scrape without info_hash, or a
// WebSocket scrape without info_hash).
import { Server, type ServerOptions } from 'bittorrent-tracker';
import { guardTrackerSockets, type SocketRate } from './guardTrackerSockets.ts';
import { KeyedRateLimiter } from './keyedRateLimiter.ts';
import { listenErrorOf } from './listen.ts';
import { TrackerRecord } from './trackerRecord.ts';
import { urlHost } from './urlHost.ts';

export interface TrackerLimits {
  /** Largest WebSocket message in bytes; a larger one closes the socket (1009). */
  readonly maxPayload: number;
  /** Longest HTTP request target (path and query) in characters; longer gets 414. */
  readonly maxUrlLength: number;
  /** Messages per WebSocket, and HTTP requests per IP. */
  readonly rate: SocketRate;
}

export const DEFAULT_TRACKER_LIMITS: TrackerLimits = {
  maxPayload: 64 * 1024,
  maxUrlLength: 4096,
  rate: { burst: 2000, perSecond: 200 },
};

export interface TrackerOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly limits?: Partial<TrackerLimits>;
  /** How long announces gather before the record is written. */
  readonly recordDelayMs?: number;
  readonly log: (line: string) => void;
  /** The flag that sets the port, named when it is taken. Default --tracker-port (the devnet's). */
  readonly portFlag?: string;
}

export interface Tracker {
  readonly port: number;
  /** ws://host:port, what browsers announce to. */
  readonly wsUrl: string;
  /** http://host:port/announce, for Node clients and standard BitTorrent tools. */
  readonly announceUrl: string;
  readonly record: TrackerRecord;
  close(): Promise<void>;
}

/** What an announce event carries (lib/server/parse-*.js); info_hash is 40 lowercase hex. */
interface AnnounceParams {
  readonly info_hash: string;
}

/** The events bittorrent-tracker emits after answering an announce (lib/common-node.js EVENT_NAMES). */
const ANNOUNCE_EVENTS = ['start', 'complete', 'update', 'stop', 'pause'] as const;

/** A bencoded failure, the answer BitTorrent clients understand. */
function bencodedFailure(message: string): string {
  return `d14:failure reason${Buffer.byteLength(message)}:${message}e`;
}

export async function startTracker(options: TrackerOptions): Promise<Tracker> {
  const limits = { ...DEFAULT_TRACKER_LIMITS, ...options.limits };
  const record = await TrackerRecord.open({
    dataDir: options.dataDir,
    delayMs: options.recordDelayMs,
    onError: (err) => options.log(`tracker: could not write the record: ${(err as Error).message}`),
  });
  // server.js takes an object for `ws` as options of its WebSocketServer (server.js constructor);
  // types/bittorrent-tracker.d.ts only knows booleans there, hence the cast.
  const server = new Server({
    udp: false,
    http: true,
    ws: { maxPayload: limits.maxPayload },
    // /stats walks every peer of every swarm on each request: not something to offer the open network.
    stats: false,
  } as unknown as ServerOptions);
  if (server.ws === undefined) throw new TypeError('bittorrent-tracker made no WebSocket server');
  const sockets = guardTrackerSockets(server.ws, limits.rate);

  // Runs before bittorrent-tracker's own handler (it adds that on the next tick), which skips answered
  // requests. node:http already bounds the request line with the headers (16 KiB); this bounds the URL.
  const httpRate = new KeyedRateLimiter({ burst: limits.rate.burst, perMinute: limits.rate.perSecond * 60 });
  server.http.on('request', (req, res) => {
    if ((req.url ?? '').length > limits.maxUrlLength) {
      res.statusCode = 414;
      res.end(bencodedFailure(`request target longer than ${limits.maxUrlLength} characters`));
    } else if (!httpRate.take(req.socket.remoteAddress ?? '').ok) {
      res.statusCode = 429;
      res.end(bencodedFailure(`more than ${limits.rate.perSecond} requests a second`));
    }
  });

  for (const event of ANNOUNCE_EVENTS) {
    server.on(event, (_peer: string, params: AnnounceParams) => record.note(params.info_hash));
  }

  // The WebSocket server re-emits its HTTP server's errors, so one failed listen arrives twice: a
  // permanent listener takes both (an unheard 'error' would crash the process).
  let onStartError: ((err: NodeJS.ErrnoException) => void) | undefined;
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (onStartError) onStartError(err);
    else options.log(`tracker: ${err.message}`);
  });
  await new Promise<void>((resolve, reject) => {
    onStartError = (err) =>
      reject(listenErrorOf(err, options.port, options.host, options.portFlag ?? '--tracker-port'));
    server.listen(options.port, options.host, () => resolve());
  }).catch(async (err: unknown) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw err;
  });
  onStartError = undefined;

  const port = (server.http.address() as { port: number }).port;
  const base = `${urlHost(options.host)}:${port}`;
  const wsUrl = `ws://${base}`;
  const announceUrl = `http://${base}/announce`;
  options.log(`tracker listening: ${wsUrl} ${announceUrl} (${record.size} infohashes on record)`);

  let closed: Promise<void> | undefined;
  return {
    port,
    wsUrl,
    announceUrl,
    record,
    close: () =>
      (closed ??= (async () => {
        sockets.terminateAll();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.http.closeAllConnections();
        });
        await record.flush();
      })()),
  };
}

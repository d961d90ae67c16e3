// The node's tracker: bittorrent-tracker's Server with HTTP and WebSocket on one port and UDP off (a
// browser cannot speak UDP), bounded message sizes and rates per socket and per source address, and a
// persisted record of every infohash announced to it (trackerRecord.ts: per-source quotas and eviction).
// Every announce passes the record first (bittorrent-tracker's `filter` option): one the record refuses
// is refused, so no swarm is made for it. Swarms left without peers are deleted every SWARM_SWEEP_MS and
// at most MAX_SWARMS exist, so memory follows the record and the live peers, not the history of
// announces. Full scrapes are answered from a cached snapshot (trackerFullScrape.ts). HTTP requests past
// their source's rate wait their turn (httpPacer.ts) rather than being refused, up to a bound. Known
// nodes (--known-node: the operator's own full nodes) have a larger allowance, in the record and in
// HTTP requests, so that one announces its whole history; every other source keeps the same limits.
import { Server, type ServerOptions } from 'bittorrent-tracker';
import { AddressList, unmapped } from './addressList.ts';
import { guardTrackerSockets, type SocketRate } from './guardTrackerSockets.ts';
import { HttpPacer } from './httpPacer.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeyedRateLimiter, type RateLimit } from './keyedRateLimiter.ts';
import { listenErrorOf } from './listen.ts';
import { sourceKeyOf } from './sourceKey.ts';
import { fullScrapeOf } from './trackerFullScrape.ts';
import {
  hasSwarm,
  sweepSwarms,
  takeOverHttpRequests,
  type AnswerHttp,
  type TrackerServerLike,
} from './trackerInternals.ts';
import {
  RECORD_KNOWN_NEW,
  RECORD_KNOWN_OWNED,
  RECORD_MAX_ENTRIES,
  RECORD_NEW_PER_SOURCE,
  RECORD_OWNED_PER_SOURCE,
  RECORD_TTL_MS,
  TrackerRecord,
} from './trackerRecord.ts';
import { TrustedProxies, type ClientOf } from './trustedProxies.ts';
import { urlHost } from './urlHost.ts';

export const SWARM_SWEEP_MS = 60 * 1000;
/** Swarms at once: every recorded infohash, and as many again of evicted ones whose peers linger. */
export const MAX_SWARMS = 2 * RECORD_MAX_ENTRIES;
/** Longest an HTTP request past its source's rate waits (a full node's fetch gives up after 10 s). */
export const HTTP_MAX_WAIT_MS = 5000;
/** HTTP requests waiting over all sources. */
export const HTTP_MAX_QUEUED = 20_000;

/** What a known node (--known-node) may do instead of the per-source limits everyone else has. */
export interface KnownNodeLimits {
  /** Record entries it may own. */
  readonly ownedPerSource: number;
  /** New infohashes it may record. */
  readonly newPerSource: RateLimit;
  /** HTTP requests it may send (past the rate they wait, as everyone's do). */
  readonly sourceRate: SocketRate;
}

export interface TrackerLimits {
  /** Largest WebSocket message in bytes; a larger one closes the socket (1009). */
  readonly maxPayload: number;
  /** Longest HTTP request target (path and query) in characters; longer gets 414. */
  readonly maxUrlLength: number;
  /** Messages per WebSocket. */
  readonly rate: SocketRate;
  /** Messages over all WebSockets of one source, and HTTP requests per source. */
  readonly sourceRate: SocketRate;
  /** Open WebSockets per source. */
  readonly socketsPerSource: number;
  /** New infohashes one source may record (trackerRecord.ts). */
  readonly newPerSource: RateLimit;
  /** Record entries one source may own (announced by it alone). */
  readonly ownedPerSource: number;
  readonly recordMaxEntries: number;
  /** A record entry nobody announced for this long expires (trackerRecord.ts). */
  readonly recordTtlMs: number;
  readonly maxSwarms: number;
  /** Longest an HTTP request past its source's rate waits its turn before it is refused (httpPacer.ts). */
  readonly httpMaxWaitMs: number;
  /** HTTP requests waiting their turn, over all sources. */
  readonly httpMaxQueued: number;
  readonly knownNode: KnownNodeLimits;
}

export const DEFAULT_TRACKER_LIMITS: TrackerLimits = {
  maxPayload: 64 * 1024,
  maxUrlLength: 4096,
  rate: { burst: 2000, perSecond: 200 },
  sourceRate: { burst: 4000, perSecond: 400 },
  socketsPerSource: 32,
  newPerSource: RECORD_NEW_PER_SOURCE,
  ownedPerSource: RECORD_OWNED_PER_SOURCE,
  recordMaxEntries: RECORD_MAX_ENTRIES,
  recordTtlMs: RECORD_TTL_MS,
  maxSwarms: MAX_SWARMS,
  httpMaxWaitMs: HTTP_MAX_WAIT_MS,
  httpMaxQueued: HTTP_MAX_QUEUED,
  // 100,000 transactions recorded in under two minutes; HTTP at 2,000 a second, ten times a node's
  // rolling schedule at its bound (MAX_ANNOUNCES_PER_TICK).
  knownNode: {
    ownedPerSource: RECORD_KNOWN_OWNED,
    newPerSource: RECORD_KNOWN_NEW,
    sourceRate: { burst: 10_000, perSecond: 2000 },
  },
};

export interface TrackerOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly limits?: Partial<TrackerLimits>;
  /** How long announces gather before the record is written. */
  readonly recordDelayMs?: number;
  /** How often swarms without peers are deleted. Default SWARM_SWEEP_MS. */
  readonly swarmSweepMs?: number;
  readonly log: (line: string) => void;
  /**
   * Reverse proxies (addresses or CIDR blocks) whose X-Forwarded-For / Forwarded name the client
   * (trustedProxies.ts). Default none: every source is the address that connected.
   */
  readonly trustedProxies?: readonly string[];
  /**
   * Known nodes (addresses or CIDR blocks, as their requests reach the tracker, past trusted proxies):
   * limits.knownNode applies to them. Default none.
   */
  readonly knownNodes?: readonly string[];
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
  /** Swarms in memory now (walks them: for tests and benchmarks). */
  countSwarms(): number;
  /** Open WebSockets from one source (sourceKeyOf). */
  openSocketsFrom(source: string): number;
  close(): Promise<void>;
}

/**
 * What `filter` is handed of an announce (lib/server/parse-*.js): the source's address as it connected,
 * and the same object bittorrent-tracker then answers from, so `numwant` set here is the one it uses.
 */
interface AnnounceParams {
  readonly ip?: string;
  numwant?: number;
  readonly [ASKED_NO_PEERS]?: string;
}

/**
 * bittorrent-tracker's HTTP parser reads `numwant=0` as 50 (`Number(numwant) || 50`), so a full node's
 * announces of its hot transactions (numwant 0: it only answers) got peer lists and made nodes dial each
 * other over TCP. The request handler below marks such announces with this query key; `filter` then
 * sets numwant back to 0 (WebSocket announces are parsed apart and keep their 0).
 */
const ASKED_NO_PEERS = 'ttx_numwant0';

/** Swarm-and-record bookkeeping, as `filter` sees it. */
type Filter = (infoHash: string, params: AnnounceParams, cb: (err: Error | null) => void) => void;

/** A bencoded failure, the answer BitTorrent clients understand. */
function bencodedFailure(message: string): string {
  return `d14:failure reason${Buffer.byteLength(message)}:${message}e`;
}

export async function startTracker(options: TrackerOptions): Promise<Tracker> {
  const limits = { ...DEFAULT_TRACKER_LIMITS, ...options.limits };
  // A known node counts as its own address (not its IPv6 /64: its neighbours keep their own limits), so
  // the record can tell a known owner by its key alone, across restarts.
  const knownNodes = new AddressList('--known-node', options.knownNodes);
  const sourceOf = (address: string | undefined): string =>
    address !== undefined && knownNodes.has(address) ? unmapped(address) : sourceKeyOf(address);
  const record = await TrackerRecord.open({
    dataDir: options.dataDir,
    delayMs: options.recordDelayMs,
    maxEntries: limits.recordMaxEntries,
    ownedPerSource: limits.ownedPerSource,
    newPerSource: limits.newPerSource,
    isKnown: (source) => knownNodes.has(source),
    knownOwnedPerSource: limits.knownNode.ownedPerSource,
    knownNewPerSource: limits.knownNode.newPerSource,
    ttlMs: limits.recordTtlMs,
    onError: (err) => options.log(`tracker: could not write the record: ${(err as Error).message}`),
  });
  // bittorrent-tracker reads the peer's address from X-Forwarded-For when `trustProxy` is on (its
  // left-most hop, from anyone): every request has that header replaced, before the tracker reads it,
  // by the one address trustedProxies.ts believes, so `params.ip` in `filter` is the client's.
  const proxies = new TrustedProxies(options.trustedProxies);
  const clientOf: ClientOf = (req) => {
    const client = proxies.clientOf(req);
    req.headers['x-forwarded-for'] = client;
    return client;
  };
  // Swarms counted at the last sweep plus those made since: an upper bound without walking them all.
  let swarms = 0;
  const filter: Filter = (infoHash, params, cb) => {
    if (params[ASKED_NO_PEERS] === '1') params.numwant = 0;
    const isNew = !hasSwarm(server, infoHash);
    if (isNew && swarms >= limits.maxSwarms) return cb(new Error('the tracker holds too many swarms'));
    const decision = record.note(infoHash, sourceOf(params.ip));
    if (!decision.ok) return cb(new Error(decision.reason));
    if (isNew) swarms++;
    cb(null);
  };
  // server.js takes an object for `ws` as options of its WebSocketServer (server.js constructor), and a
  // `filter`; types/bittorrent-tracker.d.ts knows neither, hence the cast.
  const server = new Server({
    udp: false,
    http: true,
    ws: { maxPayload: limits.maxPayload },
    // /stats walks every peer of every swarm on each request: not something to offer the open network.
    stats: false,
    trustProxy: true,
    filter,
  } as unknown as ServerOptions) as Server & TrackerServerLike;
  if (server.ws === undefined) throw new TypeError('bittorrent-tracker made no WebSocket server');
  // HTTP requests are answered from the handler below alone, which may hold one back (takeOverHttpRequests).
  const answering = takeOverHttpRequests(server, (req, res, answer) => onHttpRequest(req, res, answer));
  const intervalSeconds = Math.ceil((server as unknown as { intervalMs: number }).intervalMs / 1000);
  const fullScrape = fullScrapeOf(server, intervalSeconds);
  const sockets = guardTrackerSockets(server.ws, limits, fullScrape, clientOf);
  const sweep = setInterval(() => (swarms = sweepSwarms(server)), options.swarmSweepMs ?? SWARM_SWEEP_MS);
  sweep.unref();

  // node:http already bounds the request line with the headers (16 KiB); this bounds the URL. Past its
  // source's rate a request waits its turn on its (keep-alive) connection, within the pacer's bounds.
  const rateOf = (rate: SocketRate): KeyedRateLimiter =>
    new KeyedRateLimiter({ burst: rate.burst, perMinute: rate.perSecond * 60 });
  const httpRate = rateOf(limits.sourceRate);
  const knownHttpRate = rateOf(limits.knownNode.sourceRate);
  const pacer = new HttpPacer({ maxWaitMs: limits.httpMaxWaitMs, maxQueued: limits.httpMaxQueued });
  const onHttpRequest = (req: IncomingMessage, res: ServerResponse, answer: AnswerHttp): void => {
    const url = req.url ?? '';
    const client = clientOf(req);
    const source = sourceOf(client);
    const limiter = knownNodes.has(client) ? knownHttpRate : httpRate;
    if (url.length > limits.maxUrlLength) {
      res.statusCode = 414;
      res.end(bencodedFailure(`request target longer than ${limits.maxUrlLength} characters`));
      return;
    }
    const admitted = pacer.admit(source, limiter, res, () => {
      if (/^\/scrape\/?(\?(?!.*info_hash=).*)?$/.test(url)) {
        res.setHeader('Content-Type', 'text/plain');
        res.end(fullScrape.bencoded());
        return;
      }
      if (/^\/announce\?(.*&)?numwant=0(&|$)/.test(url)) req.url = `${url}&${ASKED_NO_PEERS}=1`;
      answer(req, res);
    });
    if (!admitted) {
      res.statusCode = 429;
      res.end(
        bencodedFailure(
          `more than ${limiter.limit.perMinute / 60} requests a second from this address ` +
            `(and ${Math.floor((limiter.limit.perMinute / 60) * (limits.httpMaxWaitMs / 1000))} waiting)`,
        ),
      );
    }
  };
  await answering;

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
    countSwarms: () => Object.keys(server.torrents).length,
    openSocketsFrom: (source) => sockets.openFrom(source),
    close: () =>
      (closed ??= (async () => {
        clearInterval(sweep);
        pacer.close();
        sockets.terminateAll();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.http.closeAllConnections();
        });
        await record.flush();
      })()),
  };
}

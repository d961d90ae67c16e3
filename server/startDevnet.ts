// Starts a whole local devnet in this process: genesis (made or loaded), tracker, faucet and app server.
// main.ts runs it from the command line; tests run it on port 0 with a temporary data folder.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppServer, type Route } from './appServer.ts';
import { contentSecurityPolicy } from './contentSecurityPolicy.ts';
import { loadOrCreateDevnet, type Devnet } from './devnet.ts';
import { Faucet } from './faucet.ts';
import { createFaucetRoute, type FaucetLimits } from './faucetRoute.ts';
import type { NetworkConfig } from '../src/core/network.ts';
import { FAUCET_PATH, networkConfigOf } from './networkConfigOf.ts';
import { sendError, sendJson } from './sendJson.ts';
import { createTrackerRecordRoute } from './trackerRecordRoute.ts';
import { TrustedProxies } from './trustedProxies.ts';
import { startTracker, type Tracker, type TrackerLimits } from './trackerServer.ts';
import { isWildcardHost } from './urlHost.ts';
import { parseRecordPage } from '../src/net/discovery/trackerRecordReader.ts';
import { openFullNode, type FullNode } from '../src/node/openFullNode.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const DEVNET_DEFAULTS = {
  port: 8080,
  trackerPort: 8000,
  host: '127.0.0.1',
  dataDir: join(PROJECT_ROOT, '.devnet'),
  distDir: join(PROJECT_ROOT, 'dist'),
} as const;

export interface DevnetOptions {
  /** App server port (0: any free one). Default 8080. */
  readonly port?: number;
  /** Tracker port (0: any free one). Default 8000. */
  readonly trackerPort?: number;
  /** Address both servers bind to. Default 127.0.0.1. */
  readonly host?: string;
  /** Data folder: genesis key and tx.json, faucet account, tracker record. Default `.devnet/`. */
  readonly dataDir?: string;
  /** The built app. Default `dist/`. */
  readonly distDir?: string;
  readonly log?: (line: string) => void;
  readonly faucetLimits?: FaucetLimits;
  readonly trackerLimits?: Partial<TrackerLimits>;
  /** How long announces gather before the tracker record is written. Default 1 s. */
  readonly recordDelayMs?: number;
  /**
   * Runs a full node in this process (src/node/openFullNode.ts, ledger in `<data>/node/`), so the
   * network keeps its history when every tab is closed. `npm start` turns it on unless --no-node;
   * default off here so that tests ask for it.
   */
  readonly node?: boolean;
  /**
   * More tracker URLs for the network config (and the page's Content-Security-Policy) besides this
   * devnet's own: for tests that join two devnets of one genesis through a shared tracker.
   */
  readonly moreTrackers?: readonly string[];
  /** Reverse proxies whose forwarded client address the tracker and the faucet believe (trustedProxies.ts). */
  readonly trustedProxies?: readonly string[];
  /**
   * The tracker's known nodes (trackerServer.ts): full nodes that may record their whole history. With
   * `node`, the addresses this devnet's own node announces from are added (ownNodeAddresses).
   */
  readonly knownNodes?: readonly string[];
}

/**
 * Where the devnet's own node's announces come from: it dials the tracker's own address, so loopback,
 * or the bound address itself when that is one.
 */
export function ownNodeAddresses(host: string): string[] {
  return ['127.0.0.1', '::1', ...(isIP(host) !== 0 && !isWildcardHost(host) ? [host] : [])];
}

export interface RunningDevnet {
  /** http://127.0.0.1:8080/ */
  readonly appUrl: string;
  /** The WebSocket tracker URLs browsers announce to: ["ws://127.0.0.1:8000"]. */
  readonly trackerUrls: readonly string[];
  /** The tracker's HTTP announce URL, for Node clients and BitTorrent tools. */
  readonly announceUrl: string;
  /** What GET /network.json answers (for a request to the configured host). */
  readonly network: NetworkConfig;
  readonly devnet: Devnet;
  readonly tracker: Tracker;
  readonly faucet: Faucet;
  /** The devnet's own full node, when started with `node: true`. */
  readonly node: FullNode | undefined;
  /** Closes both servers and the node, and writes the tracker record and faucet account. */
  close(): Promise<void>;
}

const HOST_HEADER = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])$/;

function getOnly(route: Route): Route {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      sendError(res, 405, 'only GET here', { Allow: 'GET, HEAD' });
    else return route(req, res);
  };
}

export async function startDevnet(options: DevnetOptions = {}): Promise<RunningDevnet> {
  const host = options.host ?? DEVNET_DEFAULTS.host;
  const dataDir = resolve(options.dataDir ?? DEVNET_DEFAULTS.dataDir);
  const distDir = resolve(options.distDir ?? DEVNET_DEFAULTS.distDir);
  const log = options.log ?? ((line: string) => console.log(line));

  const devnet = await loadOrCreateDevnet(dataDir);
  log(`devnet ${devnet.created ? 'created' : 'loaded'}: genesis ${devnet.genesis.id} in ${dataDir}`);
  const faucet = await Faucet.open(devnet);
  const tracker = await startTracker({
    host,
    port: options.trackerPort ?? DEVNET_DEFAULTS.trackerPort,
    dataDir,
    limits: options.trackerLimits,
    recordDelayMs: options.recordDelayMs,
    trustedProxies: options.trustedProxies,
    knownNodes: [...(options.knownNodes ?? []), ...(options.node ? ownNodeAddresses(host) : [])],
    log,
  });
  const network = networkConfigOf(devnet, [tracker.wsUrl, ...(options.moreTrackers ?? [])]);

  // Bound to every interface, the tracker is reached at whatever host name the page was loaded from.
  const trackersFor = (req: IncomingMessage): readonly string[] => {
    if (!isWildcardHost(host)) return network.trackers;
    let hostname: string;
    try {
      hostname = new URL(`http://${req.headers.host ?? ''}`).hostname;
    } catch {
      return network.trackers;
    }
    return HOST_HEADER.test(hostname) ? [`ws://${hostname}:${tracker.port}`] : network.trackers;
  };

  const routes = new Map<string, Route>([
    ['/network.json', getOnly((req, res) => sendJson(res, 200, { ...network, trackers: trackersFor(req) }))],
    [
      FAUCET_PATH,
      createFaucetRoute(faucet, options.faucetLimits, undefined, new TrustedProxies(options.trustedProxies)),
    ],
    ['/api/tracker/record', getOnly(createTrackerRecordRoute(tracker.record))],
  ]);

  let app;
  try {
    app = await startAppServer({
      host,
      port: options.port ?? DEVNET_DEFAULTS.port,
      distDir,
      csp: () => contentSecurityPolicy('header'),
      routes,
      log,
    });
  } catch (err) {
    await tracker.close();
    throw err;
  }

  let node: FullNode | undefined;
  if (options.node) {
    try {
      node = await openFullNode({
        network,
        dataDir: join(dataDir, 'node'),
        // The devnet is a local network: no mainline DHT. WebRTC gathers on the bound address when
        // there is one (a loopback devnet stays on loopback).
        dht: false,
        ...(isWildcardHost(host) ? {} : { rtcBindAddress: host }),
        // The tracker's record is in this process: read its pages directly, checked as over HTTP.
        discovery: {
          fetchPage: (after, limit) =>
            Promise.resolve(parseRecordPage(JSON.stringify(tracker.record.page(after, limit)), after)),
        },
      });
      await node.start();
      log(`node online: ${(await node.status()).accepted} accepted transactions in ${join(dataDir, 'node')}`);
    } catch (err) {
      await Promise.all([app.close(), tracker.close(), node?.close()]);
      throw err;
    }
  }

  let closed: Promise<void> | undefined;
  return {
    appUrl: app.url,
    trackerUrls: network.trackers,
    announceUrl: tracker.announceUrl,
    network,
    devnet,
    tracker,
    faucet,
    node,
    close: () =>
      (closed ??= (async () => {
        await node?.close();
        await Promise.all([app.close(), tracker.close()]);
        await faucet.flush();
      })()),
  };
}

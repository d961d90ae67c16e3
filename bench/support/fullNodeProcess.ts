// The full node (src/node/openFullNode.ts, what `torrenttx node` runs) in a process of its own, for
// `npm run bench:node`: its resident memory, sockets and WebRTC connections are then the node's alone,
// not the benchmark's (which holds the DAG, the tracker, Vite and Chromium's driver). Started by
// fullNodeChild.ts over an IPC channel; answers `figures` with what it measures of itself.
import '../../src/node/nodeWebRtcEndOfCandidates.ts';
import { Socket } from 'node:net';
import { RTCPeerConnection } from 'webrtc-polyfill';
import type { NetworkConfig } from '../../src/core/network.ts';
import { openFullNode, type FullNodeStatus } from '../../src/node/openFullNode.ts';
import { countWires, type WireCounts } from './wireCounter.ts';

export interface FullNodeProcessOptions {
  readonly network: NetworkConfig;
  readonly dataDir: string;
  /** HOST:PORT of a DHT node to bootstrap from; absent: no DHT. */
  readonly dhtBootstrap?: string;
  readonly hotTorrents?: number;
  /** The node's RTCPeerConnection maximum (openFullNode's maxConnections). */
  readonly maxConnections?: number;
  /** The rolling announcer's cycle (a crowd on many trackers: long, or every cold tx goes to each). */
  readonly rollCycleMs?: number;
}

export interface FullNodeFigures {
  readonly status: FullNodeStatus;
  /** process.memoryUsage() after a full GC. */
  readonly rss: number;
  readonly heapUsed: number;
  /** RTCPeerConnections not closed, and of those the connected ones. */
  readonly rtcPeerConnections: number;
  readonly rtcConnected: number;
  /** The most RTCPeerConnections open at once in this process since it started, counted here (not by the
   * node's own gate): from the first createOffer or setRemoteDescription of each until its close(). */
  readonly rtcPeak: number;
  /** process.cpuUsage() since the process started: user + system, µs. */
  readonly cpuMicros: number;
  /** Handles libuv holds (process.getActiveResourcesInfo): TCP sockets, TCP servers, UDP sockets. */
  readonly tcpSockets: number;
  /** Of those, the ones to the network's trackers (WebSocket and HTTP announces). */
  readonly tcpToTrackers: number;
  readonly tcpServers: number;
  readonly udpSockets: number;
  readonly wires: WireCounts;
  /** Problems the node disconnected peers for. */
  readonly drops: readonly string[];
}

export type FromParent =
  | { readonly type: 'open'; readonly options: FullNodeProcessOptions }
  | { readonly type: 'figures'; readonly id: number }
  | { readonly type: 'close' };

export type FromChild =
  | { readonly type: 'online'; readonly status: FullNodeStatus }
  | { readonly type: 'figures'; readonly id: number; readonly figures: FullNodeFigures }
  | { readonly type: 'failed'; readonly message: string };

// Every RTCPeerConnection that started negotiating, until it is closed (simple-peer closes the ones
// it destroys). Patched on the prototype: webtorrent's WebRTC layer holds the class itself.
const peerConnections = new Set<RTCPeerConnection>();
let rtcPeak = 0;
const livePeerConnections = () => [...peerConnections].filter((pc) => pc.connectionState !== 'closed');
const proto = RTCPeerConnection.prototype;
for (const method of ['createOffer', 'setRemoteDescription'] as const) {
  const original = proto[method] as (this: RTCPeerConnection, ...args: unknown[]) => unknown;
  (proto as unknown as Record<string, unknown>)[method] = function (
    this: RTCPeerConnection,
    ...args: unknown[]
  ) {
    peerConnections.add(this);
    rtcPeak = Math.max(rtcPeak, livePeerConnections().length);
    return original.apply(this, args);
  };
}
const close = proto.close;
proto.close = function (this: RTCPeerConnection) {
  peerConnections.delete(this);
  close.call(this);
};

function resourceCount(kind: string): number {
  return process.getActiveResourcesInfo().filter((name) => name === kind).length;
}

/** Open TCP sockets whose remote port is a tracker's (process._getActiveHandles: Node's own list). */
function socketsTo(ports: ReadonlySet<number>): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h) => h instanceof Socket && ports.has(h.remotePort ?? -1)).length;
}

const send = (message: FromChild): void => void process.send!(message);

let full: Awaited<ReturnType<typeof openFullNode>> | undefined;
let wires: WireCounts | undefined;
let trackerPorts = new Set<number>();
const drops: string[] = [];

process.on('message', (message: FromParent) => {
  void (async () => {
    try {
      if (message.type === 'open') {
        const { network, dataDir, dhtBootstrap, hotTorrents, maxConnections, rollCycleMs } = message.options;
        full = await openFullNode({
          network,
          dataDir,
          rtcBindAddress: '127.0.0.1',
          // host: the node lists itself as a peer of what it announces (issue 8's loopback DHT probe).
          dht: dhtBootstrap ? { bootstrap: [dhtBootstrap], host: '127.0.0.1' } : false,
          onMisbehaviour: (_peer, problem) => drops.push(problem),
          ...(hotTorrents === undefined ? {} : { hotTorrents }),
          ...(maxConnections === undefined ? {} : { maxConnections }),
          ...(rollCycleMs === undefined ? {} : { rollCycleMs }),
        });
        wires = countWires(full.client);
        trackerPorts = new Set(network.trackers.map((url) => Number(new URL(url).port)));
        await full.start();
        send({ type: 'online', status: await full.status() });
      } else if (message.type === 'figures') {
        globalThis.gc?.();
        const memory = process.memoryUsage();
        const live = livePeerConnections();
        const cpu = process.cpuUsage();
        send({
          type: 'figures',
          id: message.id,
          figures: {
            status: await full!.status(),
            rss: memory.rss,
            heapUsed: memory.heapUsed,
            rtcPeerConnections: live.length,
            rtcConnected: live.filter((pc) => pc.connectionState === 'connected').length,
            rtcPeak,
            cpuMicros: cpu.user + cpu.system,
            tcpSockets: resourceCount('TCPSocketWrap'),
            tcpToTrackers: socketsTo(trackerPorts),
            tcpServers: resourceCount('TCPServerWrap'),
            udpSockets: resourceCount('UDPWrap'),
            wires: wires!,
            drops,
          },
        });
      } else {
        await full?.close();
        process.exit(0);
      }
    } catch (err) {
      send({ type: 'failed', message: String((err as Error).stack ?? err) });
    }
  })();
});

// Starts the network worker (webtorrent, gossip) with its WebRTC bridge host, on ports whose other ends
// the ledger worker holds. A node starts one when it starts, and a fresh one when the browser comes back
// online with no peers: webtorrent's tracker client retries a lost tracker only after a random back-off
// of up to minutes, and payments made meanwhile should not wait that long for peers.
import { transfer, wrap, type Remote } from 'comlink';
import type { NetworkWorkerApi } from '../../workers/network.worker.ts';
import type { IceServer } from '../core/network.ts';
import { startRtcBridgeHost, type RtcBridgeHost } from '../net/rtcBridge/host.ts';

export interface NetworkWorkerStart {
  readonly genesisId: string;
  readonly genesisTx: Uint8Array;
  readonly trackers: readonly string[];
  /** The network config's STUN/TURN servers (none on a loopback devnet). */
  readonly iceServers: readonly IceServer[];
  /** The tracker record of this network's server, if it has one (src/net/discovery/). */
  readonly recordUrl?: string;
  /** The ledger worker exposes its GossipLedger on the other end. */
  readonly gossipPort: MessagePort;
  /** The ledger worker publishes its own payments through the other end. */
  readonly publishPort: MessagePort;
}

export interface RunningNetworkWorker {
  readonly remote: Remote<NetworkWorkerApi>;
  readonly bridge: RtcBridgeHost;
  stop(): void;
}

export async function startNetworkWorker(start: NetworkWorkerStart): Promise<RunningNetworkWorker> {
  const worker = new Worker(new URL('../../workers/network.worker.ts', import.meta.url), {
    type: 'module',
    name: 'network',
  });
  const remote = wrap<NetworkWorkerApi>(worker);
  const rtc = new MessageChannel();
  // The network's config names its ICE servers; the host applies them whatever the worker asks for.
  const iceServers = start.iceServers.map((server) => ({ ...server, urls: [...server.urls] }));
  const bridge = startRtcBridgeHost(rtc.port1, { rtcConfig: { iceServers } });
  const stop = () => {
    bridge.close();
    worker.terminate();
  };
  try {
    await remote.start(
      transfer(
        {
          genesisId: start.genesisId,
          genesisTx: start.genesisTx,
          trackers: start.trackers,
          iceServers,
          recordUrl: start.recordUrl,
          rtcPort: rtc.port2,
          gossipPort: start.gossipPort,
          publishPort: start.publishPort,
        },
        [rtc.port2, start.gossipPort, start.publishPort],
      ),
    );
  } catch (err) {
    stop();
    throw err;
  }
  return { remote, bridge, stop };
}

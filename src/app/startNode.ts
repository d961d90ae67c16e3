// Starts a TorrentTX node in the page: the ledger worker (ledger + keys), the network worker (webtorrent,
// gossip), the WebRTC bridge host that gives the network worker its connections, and the ports that let
// the two workers talk to each other directly. The page itself only shows state and forwards intents.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { LedgerWorkerApi } from '../../workers/ledger.worker.ts';
import type { NetworkWorkerApi } from '../../workers/network.worker.ts';
import { fetchNetworkConfig, type NetworkConfig } from './networkConfig.ts';
import { startRtcBridgeHost, type RtcBridgeHost } from './rtcBridgeHost.ts';

export interface NodeHandle {
  readonly config: NetworkConfig;
  readonly address: string;
  readonly ledger: Remote<LedgerWorkerApi>;
  readonly network: Remote<NetworkWorkerApi>;
  readonly bridge: RtcBridgeHost;
  /** Asks the devnet faucet for tokens and hands its payment to the ledger, which publishes it. */
  requestFaucet(tokens?: number): Promise<{ id: string; status: string }>;
  stop(): void;
}

export class FaucetError extends Error {
  override readonly name = 'FaucetError';
}

export async function startNode(): Promise<NodeHandle> {
  const config = await fetchNetworkConfig();
  const genesisTx = new TextEncoder().encode(config.genesisTx);
  const ledgerWorker = new Worker(new URL('../../workers/ledger.worker.ts', import.meta.url), {
    type: 'module',
    name: 'ledger',
  });
  const networkWorker = new Worker(new URL('../../workers/network.worker.ts', import.meta.url), {
    type: 'module',
    name: 'network',
  });
  const ledger = wrap<LedgerWorkerApi>(ledgerWorker);
  const network = wrap<NetworkWorkerApi>(networkWorker);
  const gossip = new MessageChannel();
  const publish = new MessageChannel();
  const rtc = new MessageChannel();
  // The devnet runs on loopback: no STUN servers to ask. A public network would list its own here.
  const bridge = startRtcBridgeHost(rtc.port1, { rtcConfig: { iceServers: [] } });
  const address = await ledger.open(
    transfer(
      {
        genesisId: config.genesisId,
        genesisTx,
        powUnit: config.powUnit,
        gossipPort: gossip.port1,
        publishPort: publish.port1,
      },
      [gossip.port1, publish.port1],
    ),
  );
  await network.start(
    transfer(
      {
        genesisId: config.genesisId,
        genesisTx,
        trackers: config.trackers,
        rtcPort: rtc.port2,
        gossipPort: gossip.port2,
        publishPort: publish.port2,
      },
      [rtc.port2, gossip.port2, publish.port2],
    ),
  );
  return {
    config,
    address,
    ledger,
    network,
    bridge,
    async requestFaucet(tokens?: number) {
      if (!config.faucet) throw new FaucetError('this network has no faucet');
      const response = await fetch(config.faucet, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ address, ...(tokens === undefined ? {} : { tokens }) }),
      });
      const body = (await response.json()) as { tx?: string; error?: string };
      if (!response.ok || typeof body.tx !== 'string') {
        throw new FaucetError(body.error ?? `the faucet answered ${response.status}`);
      }
      // The page passes the bytes on unread: the ledger worker checks and decides them.
      return ledger.submit(new TextEncoder().encode(body.tx));
    },
    stop() {
      bridge.close();
      ledgerWorker.terminate();
      networkWorker.terminate();
    },
  };
}

export { proxy };

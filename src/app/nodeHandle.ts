// What the page holds of a running node: its network, wallet address, the two workers (or another tab's,
// when this tab follows one: src/app/followOtherTab.ts) and the intents that are not a worker call.
// startNode.ts makes one; the UI and the tab-following code only use it.
import type { Remote } from 'comlink';
import type { LedgerWorkerApi } from '../../workers/ledger.worker.ts';
import type { NetworkWorkerApi } from '../../workers/network.worker.ts';
import type { NetworkConfig } from '../core/network.ts';
import type { RtcBridgeHost } from '../net/rtcBridge/host.ts';
import type { KnownNetworks } from './knownNetworks.ts';

export interface NodeHandle {
  readonly config: NetworkConfig;
  /** Why the server's /network.json was not used (offline, server down), or null when it was. */
  readonly serverProblem: string | null;
  /** The page could not request /network.json at all when it started (see Connectivity). */
  readonly serverUnreachable: boolean;
  /** The networks this device knows, and which one it starts on. */
  readonly known: KnownNetworks;
  readonly address: string;
  readonly ledger: Remote<LedgerWorkerApi>;
  /** The current network worker; replaced by a fresh one when the browser comes back online. */
  readonly network: Remote<NetworkWorkerApi>;
  /** Null in a tab that uses another tab's workers (src/app/followOtherTab.ts). */
  readonly bridge: RtcBridgeHost | null;
  /**
   * Calls `listener` whenever the network worker says its status may have changed: the current worker
   * and every one that replaces it (a subscription made on `network` itself ends with its worker).
   */
  onNetworkChange(listener: () => void): void;
  /** Asks the faucet to pay `to` (the active account's address: it changes when the user switches). */
  requestFaucet(to: string, tokens?: number): Promise<{ id: string; status: string }>;
  /**
   * Makes a new network whose genesis pays the active account (`tokens`, default 10^12), meeting on this
   * network's trackers, and saves it on this device. The node stays on the current network.
   */
  createNetwork(name: string, tokens?: number): Promise<NetworkConfig>;
  /** Restarts the network worker if it has no peer: the network is back after an outage. */
  networkIsBack(): void;
  stop(): void;
}

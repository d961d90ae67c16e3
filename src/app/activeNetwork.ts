// Picks the network a node starts on. Online, the server's /network.json is fetched and saved first (its
// trackers may have moved); then the device's choice wins, else the server's network. When the server
// cannot be reached (offline, or the server is down) the saved config of the last network used is
// started instead, so the wallet opens from IndexedDB with no server at all.
import type { KnownNetworks } from './knownNetworks.ts';
import type { NetworkConfig } from '../core/network.ts';
import { fetchNetworkConfig } from './fetchNetworkConfig.ts';
import { NetworkConfigError } from './parseNetworkConfig.ts';

export interface ActiveNetwork {
  readonly config: NetworkConfig;
  /** Why the server's config was not used (it could not be fetched), or null when it was reachable. */
  readonly serverProblem: string | null;
  /** The server's config could not even be requested: this page's requests fail (offline, or down). */
  readonly serverUnreachable: boolean;
}

export async function activeNetwork(
  known: KnownNetworks,
  fetchServer: () => Promise<NetworkConfig> = () => fetchNetworkConfig(),
): Promise<ActiveNetwork> {
  let server: NetworkConfig | undefined;
  let serverProblem: string | null = null;
  let serverUnreachable = false;
  try {
    server = await fetchServer();
    await known.saveServer(server);
  } catch (err) {
    // By name, not by class: a minifier renames classes, never the literal `name` field.
    if ((err as Error).name !== 'NetworkConfigError') throw err;
    serverProblem = (err as Error).message;
    serverUnreachable = (err as NetworkConfigError).unreachable === true;
  }
  const id = await known.activeId();
  const saved = id === undefined ? undefined : await known.get(id);
  const config = saved?.config ?? server;
  if (config === undefined) {
    throw new NetworkConfigError(
      `${serverProblem ?? 'no network'}; and this device has no saved network yet: open the app once while online`,
    );
  }
  await known.markUsed(config.genesisId);
  return { config, serverProblem, serverUnreachable };
}

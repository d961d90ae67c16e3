// Loads the network the app's own server names at /network.json; checked like any config from the wire.
import type { NetworkConfig } from '../core/network.ts';
import { NetworkConfigError, parseNetworkConfig } from './parseNetworkConfig.ts';

/** GETs the server's network. Throws NetworkConfigError when it cannot be reached or is malformed. */
export async function fetchNetworkConfig(url = '/network.json'): Promise<NetworkConfig> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch (err) {
    throw new NetworkConfigError(`cannot reach ${url}: ${(err as Error).message}`, { unreachable: true });
  }
  if (!response.ok) throw new NetworkConfigError(`${url} answered ${response.status}`);
  let value: unknown;
  try {
    value = await response.json();
  } catch {
    throw new NetworkConfigError(`${url} is not JSON`);
  }
  return parseNetworkConfig(value, url);
}

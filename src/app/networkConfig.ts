// The network the page joins, as the server describes it at /network.json (never compiled in). Checked
// here because it comes over the wire: a bad config gets a clear error, not a half-started node.

export interface NetworkConfig {
  readonly name: string;
  readonly genesisId: string;
  readonly genesisTx: string;
  readonly powUnit: number;
  readonly trackers: readonly string[];
  readonly faucet: string | null;
}

export class NetworkConfigError extends Error {
  override readonly name = 'NetworkConfigError';
}

export async function fetchNetworkConfig(url = '/network.json'): Promise<NetworkConfig> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch (err) {
    throw new NetworkConfigError(`cannot reach ${url}: ${(err as Error).message}`);
  }
  if (!response.ok) throw new NetworkConfigError(`${url} answered ${response.status}`);
  const value = (await response.json()) as Partial<NetworkConfig>;
  const problem =
    typeof value.genesisId !== 'string' || !/^[0-9a-f]{40}$/.test(value.genesisId)
      ? '"genesisId" must be 40 lowercase hex characters'
      : typeof value.genesisTx !== 'string'
        ? '"genesisTx" must be the genesis tx.json text'
        : typeof value.powUnit !== 'number' || !Number.isSafeInteger(value.powUnit) || value.powUnit < 0
          ? '"powUnit" must be a whole number'
          : !Array.isArray(value.trackers) ||
              !value.trackers.every((t) => typeof t === 'string' && /^wss?:\/\//.test(t))
            ? '"trackers" must be a list of ws:// or wss:// URLs'
            : undefined;
  if (problem) throw new NetworkConfigError(`${url}: ${problem}`);
  return {
    name: typeof value.name === 'string' ? value.name : 'network',
    genesisId: value.genesisId!,
    genesisTx: value.genesisTx!,
    powUnit: value.powUnit!,
    trackers: value.trackers!,
    faucet: typeof value.faucet === 'string' ? value.faucet : null,
  };
}

// What names a network for the page (PROTOCOL §7): genesis id and tx.json, powUnit, trackers, faucet. It
// arrives from the server's /network.json, from an invite link, or from this device's saved networks
// (never compiled in), and is checked here because two of those three come over the wire: a bad config
// gets a clear error, not a half-started node.

import {
  MAX_ICE_SERVERS,
  MAX_ICE_URLS,
  MAX_NETWORK_NAME,
  type IceServer,
  type NetworkConfig,
} from '../core/network.ts';

export class NetworkConfigError extends Error {
  override readonly name = 'NetworkConfigError';

  /** True when the request itself failed (no network, server down), not when the answer was bad. */
  readonly unreachable: boolean;

  constructor(message: string, options: { unreachable?: boolean } = {}) {
    super(message);
    this.unreachable = options.unreachable ?? false;
  }
}

/** Checks the shape of a config from `source` (named in the error) and returns a clean copy. */
export function parseNetworkConfig(value: unknown, source: string): NetworkConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NetworkConfigError(`${source}: expected a JSON object, got ${describe(value)}`);
  }
  const v = value as Record<string, unknown>;
  const problem =
    typeof v.genesisId !== 'string' || !/^[0-9a-f]{40}$/.test(v.genesisId)
      ? `"genesisId" must be 40 lowercase hex characters, got ${describe(v.genesisId)}`
      : typeof v.genesisTx !== 'string'
        ? `"genesisTx" must be the genesis tx.json text, got ${describe(v.genesisTx)}`
        : typeof v.powUnit !== 'number' || !Number.isSafeInteger(v.powUnit) || v.powUnit < 0
          ? `"powUnit" must be a whole number, got ${describe(v.powUnit)}`
          : !Array.isArray(v.trackers) ||
              !v.trackers.every((t) => typeof t === 'string' && /^wss?:\/\/[^\s]+$/.test(t))
            ? '"trackers" must be a list of ws:// or wss:// URLs'
            : v.name !== undefined && (typeof v.name !== 'string' || v.name.trim() === '')
              ? `"name" must be a non-empty string, got ${describe(v.name)}`
              : typeof v.name === 'string' && v.name.length > MAX_NETWORK_NAME
                ? `"name" must be at most ${MAX_NETWORK_NAME} characters, got ${v.name.length}`
                : undefined;
  if (problem) throw new NetworkConfigError(`${source}: ${problem}`);
  const iceServers = v.iceServers === undefined ? undefined : parseIceServers(v.iceServers, source);
  return {
    name: typeof v.name === 'string' ? v.name.trim() : 'network',
    genesisId: v.genesisId as string,
    genesisTx: v.genesisTx as string,
    powUnit: v.powUnit as number,
    trackers: [...(v.trackers as string[])],
    faucet: typeof v.faucet === 'string' ? v.faucet : null,
    ...(iceServers === undefined ? {} : { iceServers }),
  };
}

/** `iceServers`: at most MAX_ICE_SERVERS of {urls: stun:/turn:/turns: URL or list, username?, credential?}. */
function parseIceServers(value: unknown, source: string): IceServer[] {
  const fail = (problem: string) => new NetworkConfigError(`${source}: "iceServers" ${problem}`);
  if (!Array.isArray(value) || value.length > MAX_ICE_SERVERS) {
    throw fail(`must be a list of at most ${MAX_ICE_SERVERS} STUN or TURN servers, got ${describe(value)}`);
  }
  return value.map((server: unknown): IceServer => {
    const s = (typeof server === 'object' && server !== null ? server : {}) as Record<string, unknown>;
    const urls = typeof s.urls === 'string' ? [s.urls] : s.urls;
    const isIceUrl = (url: unknown) =>
      typeof url === 'string' && url.length <= 256 && /^(stun|turns?):\S+$/.test(url);
    if (!Array.isArray(urls) || urls.length === 0 || urls.length > MAX_ICE_URLS || !urls.every(isIceUrl)) {
      throw fail(
        `entries need "urls": 1 to ${MAX_ICE_URLS} stun:, turn: or turns: URLs, got ${describe(s.urls)}`,
      );
    }
    for (const key of ['username', 'credential'] as const) {
      if (s[key] !== undefined && (typeof s[key] !== 'string' || s[key].length > 256)) {
        throw fail(`"${key}" must be text of at most 256 characters, got ${describe(s[key])}`);
      }
    }
    return {
      urls: [...(urls as string[])],
      ...(typeof s.username === 'string' ? { username: s.username } : {}),
      ...(typeof s.credential === 'string' ? { credential: s.credential } : {}),
    };
  });
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 48 ? `${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : typeof value;
}

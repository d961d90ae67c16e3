// Creates a new network in the ledger worker: a genesis paying the wallet's active account, signed there
// (the secret key never leaves the worker), returned as the config an invite link carries. The new
// network's ledger is not opened here: the page switches to it, and the node then starts on it afresh.
import { decodeUtf8Strict } from '../core/utf8.ts';
import { MAX_NETWORK_NAME, type IceServer, type NetworkConfig } from '../core/network.ts';
import { DEFAULT_GENESIS_TOKENS, GenesisError, makeGenesis, type GenesisOwner } from './makeGenesis.ts';

export interface NewNetworkRequest {
  readonly name: string;
  /** Supply, all paid to the active account; default 10^12. */
  readonly tokens?: number;
  /** Where its nodes meet: the page passes the current network's trackers. */
  readonly trackers: readonly string[];
  /** And the current network's STUN/TURN servers, if it names any. */
  readonly iceServers?: readonly IceServer[];
}

/** A network made here: no faucet, since a faucet is a path on a server. */
export type NewNetwork = NetworkConfig & { readonly faucet: null };

/** A genesis paying `owner` (the active account, secret key included), made at `now`. */
export function createNetwork(owner: GenesisOwner, now: number, request: NewNetworkRequest): NewNetwork {
  const name = request.name.trim();
  if (name === '' || name.length > MAX_NETWORK_NAME) {
    throw new GenesisError(
      `a network name must have 1 to ${MAX_NETWORK_NAME} characters, got ${name.length}`,
    );
  }
  const genesis = makeGenesis(owner, request.tokens ?? DEFAULT_GENESIS_TOKENS, now);
  return {
    name,
    genesisId: genesis.id,
    genesisTx: decodeUtf8Strict(genesis.bytes)!, // canonical JSON of our own making: always valid UTF-8
    // A new network's token is worth what the devnet's is: one bit of work mints one token.
    powUnit: 1,
    trackers: [...request.trackers],
    ...(request.iceServers === undefined ? {} : { iceServers: request.iceServers }),
    faucet: null,
  };
}

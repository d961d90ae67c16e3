// Creates a new network in the ledger worker: a genesis paying the wallet's active account, signed there
// (the secret key never leaves the worker), returned as the config an invite link carries. The new
// network's ledger is not opened here: the page switches to it, and the node then starts on it afresh.
import { decodeUtf8Strict } from '../core/utf8.ts';
import type { LedgerService } from './ledgerService.ts';
import { DEFAULT_GENESIS_TOKENS, GenesisError, makeGenesis } from './makeGenesis.ts';

export interface NewNetworkRequest {
  readonly name: string;
  /** Supply, all paid to the active account; default 10^12. */
  readonly tokens?: number;
  /** Where its nodes meet: the page passes the current network's trackers. */
  readonly trackers: readonly string[];
}

/** The same shape as the page's NetworkConfig (src/app/networkConfig.ts), which a worker does not import. */
export interface NewNetwork {
  readonly name: string;
  readonly genesisId: string;
  readonly genesisTx: string;
  readonly powUnit: number;
  readonly trackers: readonly string[];
  readonly faucet: null;
}

/** As MAX_NETWORK_NAME in src/app/networkConfig.ts, which checks names that arrive in invites. */
export const MAX_NAME = 64;

export function createNetwork(service: LedgerService, request: NewNetworkRequest): NewNetwork {
  const name = request.name.trim();
  if (name === '' || name.length > MAX_NAME) {
    throw new GenesisError(`a network name must have 1 to ${MAX_NAME} characters, got ${name.length}`);
  }
  const genesis = makeGenesis(
    service.currentAccount(),
    request.tokens ?? DEFAULT_GENESIS_TOKENS,
    service.parts.clock(),
  );
  return {
    name,
    genesisId: genesis.id,
    genesisTx: decodeUtf8Strict(genesis.bytes)!, // canonical JSON of our own making: always valid UTF-8
    // A new network's token is worth what the devnet's is: one bit of work mints one token.
    powUnit: 1,
    trackers: [...request.trackers],
    faucet: null,
  };
}

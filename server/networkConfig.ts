// What GET /network.json tells the app: everything that names this network (PROTOCOL §7) and where to
// find its trackers and faucet. The app takes its network from here; nothing is compiled in.
import type { Devnet } from './devnet.ts';

export interface NetworkConfig {
  readonly name: string;
  readonly genesisId: string;
  /** The genesis tx.json text, exactly: its id is txIdOf of these bytes. */
  readonly genesisTx: string;
  /** PROTOCOL §6 powUnit; a JSON number (the devnet's is 1). */
  readonly powUnit: number;
  /** WebSocket tracker URLs, e.g. ws://127.0.0.1:8000. */
  readonly trackers: readonly string[];
  /** Path of the faucet on the app server, or null when there is none. */
  readonly faucet: string | null;
}

export const FAUCET_PATH = '/api/faucet';

export function networkConfigOf(devnet: Devnet, trackers: readonly string[]): NetworkConfig {
  return {
    name: 'devnet',
    genesisId: devnet.genesis.id,
    genesisTx: devnet.genesis.text,
    powUnit: Number(devnet.params.powUnit),
    trackers,
    faucet: FAUCET_PATH,
  };
}

// What GET /network.json tells the app: everything that names this network (PROTOCOL §7) and where to
// find its trackers and faucet. The app takes its network from here; nothing is compiled in.
import type { NetworkConfig } from '../src/core/network.ts';
import type { Devnet } from './devnet.ts';

export const FAUCET_PATH = '/api/faucet';

export function networkConfigOf(devnet: Devnet, trackers: readonly string[]): NetworkConfig {
  return {
    name: 'devnet',
    genesisId: devnet.genesis.id,
    genesisTx: devnet.genesis.text,
    powUnit: Number(devnet.params.powUnit),
    trackers,
    faucet: FAUCET_PATH,
    // The devnet runs on loopback: no STUN or TURN server to ask. A public network lists its own.
    iceServers: [],
  };
}

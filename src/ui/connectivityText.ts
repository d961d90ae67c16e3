// How the node reaches the network, in a few words: "3 peers", "Looking for peers", "Offline", "No peers".
import type { ConnectivityState } from '../app/connectivity.svelte.ts';

export function connectivityText(state: ConnectivityState, peers: number): string {
  if (state === 'connected') return `${peers} peer${peers === 1 ? '' : 's'}`;
  if (state === 'looking') return 'Looking for peers';
  return state === 'offline' ? 'Offline' : 'No peers';
}

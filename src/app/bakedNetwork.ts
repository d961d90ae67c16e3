// The network built into this app, when it was built for one (`npm run build -- --network FILE`,
// scripts/build.ts): its genesis is then hard-coded in the bundle and the app asks no server for
// /network.json, so it runs from any static host. Null in a build that reads the server's network (the
// devnet's), in the dev server and in tests.
import type { NetworkConfig } from '../core/network.ts';
import { parseNetworkConfig } from './parseNetworkConfig.ts';

/** Replaced at build time by vite.config.ts (`define`): the config as JSON text, or null. */
declare const __TORRENTTX_NETWORK__: string | null | undefined;

const baked = typeof __TORRENTTX_NETWORK__ === 'string' ? __TORRENTTX_NETWORK__ : null;

/** The baked-in network, checked like any config (the build checked it too), or null. */
export const BAKED_NETWORK: NetworkConfig | null =
  baked === null ? null : parseNetworkConfig(JSON.parse(baked), 'the network built into this app');

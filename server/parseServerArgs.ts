// The devnet's command line: --port, --tracker-port, --host, --data, --dist, --no-node, --trusted-proxy,
// --known-node, with PORT and TRACKER_PORT
// from the environment as fallbacks (flags win).
import { parseArgs } from 'node:util';
import type { DevnetOptions } from './startDevnet.ts';
import { addressListProblem } from './addressList.ts';
import { UsageError } from './usageError.ts';

export const USAGE = `usage: node --import tsx server/main.ts [--port N] [--tracker-port N] [--host ADDR] [--data DIR] [--dist DIR] [--no-node] [--trusted-proxy ADDR]…

  --port N          app server port (env PORT; default 8080)
  --tracker-port N  tracker port, WebSocket and HTTP (env TRACKER_PORT; default 8000)
  --host ADDR       address to bind both to (default 127.0.0.1)
  --data DIR        data folder: genesis, faucet account, tracker record (default .devnet/)
  --dist DIR        the built app (default dist/)
  --no-node         run no full node (by default one keeps the ledger in DIR/node/ with every tab closed)
  --trusted-proxy ADDR
                    a reverse proxy (address or CIDR block; repeatable) whose X-Forwarded-For /
                    Forwarded the tracker and the faucet believe for per-address limits (default none)
  --known-node ADDR a full node of the operator's (address or CIDR block; repeatable) that the tracker
                    lets record its whole history (the devnet's own node is one unless --no-node)`;

export type ServerArgs =
  | { readonly help: true }
  | { readonly help: false; readonly options: DevnetOptions & { dataDir?: string; distDir?: string } };

function parsePort(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`${name} must be a port number from 0 to 65535, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

export function parseServerArgs(args: readonly string[], env: NodeJS.ProcessEnv): ServerArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string' },
        'tracker-port': { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        dist: { type: 'string' },
        'no-node': { type: 'boolean' },
        'trusted-proxy': { type: 'string', multiple: true },
        'known-node': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { help: true };
  if (values.host === '') throw new UsageError('--host must not be empty');
  const trustedProxies = values['trusted-proxy'] ?? [];
  const knownNodes = values['known-node'] ?? [];
  const problem =
    addressListProblem('--trusted-proxy', trustedProxies) ?? addressListProblem('--known-node', knownNodes);
  if (problem !== undefined) throw new UsageError(problem);
  return {
    help: false,
    options: {
      port: parsePort('--port', values.port) ?? parsePort('PORT', env.PORT || undefined),
      trackerPort:
        parsePort('--tracker-port', values['tracker-port']) ??
        parsePort('TRACKER_PORT', env.TRACKER_PORT || undefined),
      host: values.host,
      dataDir: values.data,
      distDir: values.dist,
      node: !values['no-node'],
      trustedProxies,
      ...(knownNodes.length > 0 ? { knownNodes } : {}),
    },
  };
}

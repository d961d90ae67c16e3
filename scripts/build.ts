// `npm run build`: builds the app into dist/ (or --out DIR). With `--network FILE|URL` (or the env
// variable TORRENTTX_NETWORK=FILE) the network config (the /network.json shape: name, genesisId,
// genesisTx, powUnit, trackers, iceServers) is checked and baked into the bundle, so the built app runs
// from any static host with no server behind it. A bad config or argument: one line, exit 2.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { readNetwork } from '../src/cli/readNetwork.ts';
import { UsageError } from '../src/cli/usageError.ts';
import { appConfig } from '../vite.config.ts';

const ROOT = resolve(import.meta.dirname, '..');

async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { network: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length > 0) throw new UsageError(`build takes no ${JSON.stringify(positionals[0])}`);
  const source = values.network ?? process.env.TORRENTTX_NETWORK;
  const flag = values.network !== undefined ? '--network' : 'TORRENTTX_NETWORK';
  const network = source === undefined || source === '' ? null : await readNetwork(source, flag);
  const outDir = resolve(values.out ?? resolve(ROOT, 'dist'));
  await build({
    ...appConfig(network),
    configFile: false,
    root: ROOT,
    build: { outDir, emptyOutDir: true },
  });
  console.log(
    network === null
      ? `built ${outDir}: the app reads its network from /network.json on its server`
      : `built ${outDir} for network "${network.name}" (genesis ${network.genesisId}, trackers ${network.trackers.join(' ') || 'none'})`,
  );
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  // parseArgs throws TypeErrors with codes such as ERR_PARSE_ARGS_UNKNOWN_OPTION: usage errors too.
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if ((err as Error).name === 'UsageError' || code.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`build: ${(err as Error).message}\n`);
    process.exit(2);
  }
  throw err;
}

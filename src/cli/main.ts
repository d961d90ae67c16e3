// The `torrenttx` command: keys, ids, structural checks, signing, genesis and replay, all on the same
// pure core as the node. Usage errors exit 2 with one line; nothing here prints a stack trace.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkTxBytes } from '../core/checkTx.ts';
import { keyPairOf } from '../core/makeTx.ts';
import { txIdOf } from '../core/txId.ts';
import { UsageError } from './usageError.ts';
import { makeTxCommand } from './makeTxCommand.ts';
import { nodeCommand } from './nodeCommand.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../node/rtcConnectionGate.ts';
import { trackerCommand } from './trackerCommand.ts';
import { replayCommand } from './replayCommand.ts';

const HELP = `torrenttx — TorrentTX command line (protocol v1)

  torrenttx keygen                         new key pair as JSON
  torrenttx id FILE                        transaction id of a tx.json
  torrenttx verify FILE                    structural verdict (checks 1–5); exit 1 when invalid
  torrenttx tx --secret HEX --to ADDR --tokens N --prev ID [--memo TEXT] [--work BITS] [--time MS] [--out DIR]
  torrenttx genesis --secret HEX --tokens N [--to ADDR] [--work BITS] [--time MS] [--out DIR]
  torrenttx replay FILE --genesis ID [--pow-unit N]
  torrenttx node --network FILE|URL [--data DIR] [--import FILE] [--port N] [--no-dht] [--dht-bootstrap HOST:PORT,…]
                [--max-connections N]      a full node: keeps and seeds the ledger (SQLite in --data);
                                           at most N WebRTC connections (default ${DEFAULT_MAX_CONNECTIONS}), newcomers past
                                           them told to come back
  torrenttx node export --data DIR         the node's accepted txs, parents first (the replay format)
  torrenttx tracker [--port N] [--host ADDR] [--data DIR] [--trusted-proxy ADDR]… [--known-node ADDR]…
                                           a tracker alone: WebSocket and HTTP on one port (default 8000)
`;

function readInput(path: string | undefined, command: string): Uint8Array {
  if (path === undefined) throw new UsageError(`${command} needs a FILE`);
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read ${path} (${code})`);
  }
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'keygen':
      parseArgs({ args: rest });
      process.stdout.write(JSON.stringify(keyPairOf(randomBytes(32))) + '\n');
      return 0;
    case 'id': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true });
      process.stdout.write(txIdOf(readInput(positionals[0], 'id')) + '\n');
      return 0;
    }
    case 'verify': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true });
      const verdict = await checkTxBytes(readInput(positionals[0], 'verify'));
      const out = verdict.ok
        ? { id: verdict.id, status: 'valid' }
        : { id: verdict.id, status: 'invalid', reason: verdict.reason, detail: verdict.detail };
      process.stdout.write(JSON.stringify(out) + '\n');
      return verdict.ok ? 0 : 1;
    }
    case 'tx':
    case 'genesis':
      return makeTxCommand(command, rest);
    case 'replay':
      return replayCommand(rest, readInput);
    case 'node':
      return nodeCommand(rest);
    case 'tracker':
      return trackerCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}" (try: torrenttx help)`);
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  // parseArgs throws TypeErrors with codes such as ERR_PARSE_ARGS_UNKNOWN_OPTION: usage errors too.
  const name = (err as Error).name;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (name === 'UsageError' || code.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`torrenttx: ${(err as Error).message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`torrenttx: internal error: ${(err as Error).message}\n`);
    process.exitCode = 3;
  }
}

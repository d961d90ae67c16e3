// `torrenttx replay FILE --genesis ID`: feed one tx.json per line to a fresh in-memory ledger, in order,
// and print each line's final status, then the balances. Exit 0 whatever the verdicts.
import { parseArgs } from 'node:util';
import { Ledger } from '../core/ledger.ts';
import { nodeStrictVerifier } from '../node/nativeEd25519Verifier.ts';
import { MemoryLedgerStore } from '../storage/memoryLedgerStore.ts';
import { parseHex, parseInteger } from './parseNumbers.ts';
import { UsageError } from './usageError.ts';

/** Splits raw bytes at each \n; a final newline adds no empty line. Lines keep every other byte. */
export function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/** JSON with bigints written as exact integers (balances can pass 2^53 through minting). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `\u0000${v}` : v)).replace(
    /"\\u0000(-?\d+)"/g,
    '$1',
  );
}

export async function replayCommand(
  args: string[],
  readInput: (path: string | undefined, command: string) => Uint8Array,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { genesis: { type: 'string' }, 'pow-unit': { type: 'string' } },
  });
  if (positionals.length > 1) throw new UsageError('replay takes one FILE');
  const genesisId = parseHex('genesis', values.genesis, 20);
  const powUnit =
    values['pow-unit'] === undefined ? 1 : parseInteger('pow-unit', values['pow-unit'], 0, 2 ** 32);
  const lines = splitLines(readInput(positionals[0], 'replay'));
  const store = new MemoryLedgerStore();
  const ledger = new Ledger(store, { genesisId, powUnit: BigInt(powUnit) }, { verify: nodeStrictVerifier() });
  const { outcomes } = await ledger.receive(lines, Date.now());
  const out: string[] = [];
  for (const outcome of outcomes) {
    const record = (await store.getTx(outcome.id))!;
    out.push(
      toJson({
        id: record.id,
        status: record.status,
        ...(record.status === 'invalid' ? { reason: record.reason } : {}),
      }),
    );
  }
  out.push(toJson({ balances: Object.fromEntries(store.allBalances()) }));
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

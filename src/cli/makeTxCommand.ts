// `torrenttx tx` and `torrenttx genesis`: build, mine (optionally) and sign a transaction.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkAddress } from '../core/address.ts';
import { hexToBytes } from '../core/hex.ts';
import { encodeWithId, keyPairOf, signTx } from '../core/makeTx.ts';
import { mineNonce } from '../core/mineNonce.ts';
import { memoProblem, tokensOfText, tokensProblem } from '../core/fieldProblems.ts';
import { MAX_SAFE, MAX_TX_BYTES, type UnsignedTx } from '../core/tx.ts';
import { workBase } from '../core/work.ts';
import { parseHex, parseInteger } from './parseNumbers.ts';
import { UsageError } from './usageError.ts';

export function makeTxCommand(command: 'tx' | 'genesis', args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      secret: { type: 'string' },
      to: { type: 'string' },
      tokens: { type: 'string' },
      prev: { type: 'string' },
      memo: { type: 'string' },
      work: { type: 'string' },
      time: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const secret = hexToBytes(parseHex('secret', values.secret, 32));
  const keys = keyPairOf(secret);
  const to = command === 'genesis' && values.to === undefined ? keys.address : values.to;
  if (to === undefined) throw new UsageError('--to is required');
  const address = checkAddress(to);
  if (!address.ok) throw new UsageError(`--to is not a ttx1… address: ${address.problem}`);
  if (values.tokens === undefined) throw new UsageError('--tokens is required');
  const tokensWrong = tokensProblem(values.tokens);
  if (tokensWrong !== undefined) throw new UsageError(`--tokens ${tokensWrong}`);
  const tokens = tokensOfText(values.tokens);
  const prev = command === 'genesis' ? null : parseHex('prev', values.prev, 20);
  if (command === 'genesis' && values.prev !== undefined) throw new UsageError('a genesis has no --prev');
  const time = values.time === undefined ? Date.now() : parseInteger('time', values.time, 0, MAX_SAFE);
  const bits = values.work === undefined ? 0 : parseInteger('work', values.work, 0, 256);
  const memoWrong = values.memo === undefined ? undefined : memoProblem(values.memo);
  if (memoWrong !== undefined) throw new UsageError(`--memo ${memoWrong}`);
  let unsigned: UnsignedTx = {
    tokens,
    to,
    key: keys.publicKey,
    time,
    prev,
    ...(values.memo === undefined ? {} : { memo: values.memo }),
  };
  if (bits > 0) {
    let found: number | undefined;
    for (const state of mineNonce(workBase(unsigned), bits, { chunk: 65536 })) {
      if (state.found) found = state.bestNonce;
    }
    if (found === undefined) throw new UsageError(`no nonce reaches ${bits} bits`);
    unsigned = { ...unsigned, nonce: found };
  }
  const { bytes, id } = encodeWithId(signTx(unsigned, secret));
  if (bytes.length > MAX_TX_BYTES)
    throw new UsageError(`the transaction is ${bytes.length} bytes, at most ${MAX_TX_BYTES}`);
  if (values.out === undefined) {
    // The exact bytes, so `> tx.json` saves a valid transaction; a newline only for a person's terminal.
    process.stdout.write(bytes);
    if (process.stdout.isTTY) process.stdout.write('\n');
    return 0;
  }
  const folder = join(values.out, 'tx');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'tx.json'), bytes);
  process.stdout.write(JSON.stringify({ id, path: join(folder, 'tx.json') }) + '\n');
  return 0;
}

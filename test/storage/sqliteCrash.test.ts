// Crash safety for real: a child process importing into a SQLite ledger is killed with SIGKILL while it
// writes, three times over the same file; after each kill the file reopens consistent (every stored tx's
// ancestors stored, spent and balances equal to a recomputation from the records), and the next import
// goes on from there.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { SqliteLedgerStore } from '../../src/storage/sqliteLedgerStore.ts';
import { ledgerProblems } from '../support/ledgerConsistency.ts';
import { makeTxDag } from '../support/txDag.ts';

const CHILD = resolve(dirname(fileURLToPath(import.meta.url)), '../support/sqliteImportChild.ts');
const SEED = 11;
const dir = mkdtempSync(join(tmpdir(), 'torrenttx-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the importer and kills it with SIGKILL once it has committed `batches` batches. */
function importThenKill(path: string, batches: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, String(SEED)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Killed right after a commit it reported, while it is deciding and writing the next ones.
      if (out.includes(`batch ${batches}\n`)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? done() : fail(new Error(`importer exited ${code}: ${err}`)),
    );
  });
}

it('a ledger killed mid-import reopens consistent, three times over', async () => {
  const path = join(dir, 'ledger.sqlite');
  const genesisId = makeTxDag(0, SEED).network.genesis.id;
  let before = 0;
  for (const batches of [5, 17, 40]) {
    await importThenKill(path, batches);
    const store = SqliteLedgerStore.open(path, genesisId);
    expect(await ledgerProblems(store)).toEqual([]);
    const count = await store.count();
    expect(count).toBeGreaterThan(before);
    before = count;
    store.close();
  }
}, 120_000);

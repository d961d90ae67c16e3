// The LedgerStore contract (test/support/ledgerStoreContract.ts) on the in-memory store and on the full
// node's SQLite store, each new and empty per check. The same checks run on the IndexedDB store in
// Chromium (test/browser/idbLedgerStore.test.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { SqliteLedgerStore } from '../../src/storage/sqliteLedgerStore.ts';
import { LEDGER_STORE_CONTRACT } from '../support/ledgerStoreContract.ts';

describe('MemoryLedgerStore keeps the LedgerStore contract', () => {
  for (const check of LEDGER_STORE_CONTRACT) it(check.name, () => check.run(new MemoryLedgerStore()));
});

describe('SqliteLedgerStore keeps the LedgerStore contract', () => {
  for (const check of LEDGER_STORE_CONTRACT) {
    it(check.name, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ttx-contract-'));
      const store = SqliteLedgerStore.open(join(dir, 'ledger.sqlite'), 'contract');
      try {
        await check.run(store);
      } finally {
        store.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

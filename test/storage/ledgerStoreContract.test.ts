// The LedgerStore contract (test/support/ledgerStoreContract.ts) on the in-memory store. The same checks
// run on the IndexedDB store in Chromium (test/browser/idbLedgerStore.test.ts).
import { describe, it } from 'vitest';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { LEDGER_STORE_CONTRACT } from '../support/ledgerStoreContract.ts';

describe('MemoryLedgerStore keeps the LedgerStore contract', () => {
  for (const check of LEDGER_STORE_CONTRACT) it(check.name, () => check.run(new MemoryLedgerStore()));
});

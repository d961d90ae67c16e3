// The full node's checker threads (src/node/threadedChecker.ts) find the same facts as the calling
// thread: the same ids, pins and checks 1–5 (a forged signature, a bad one, malformed bytes included),
// and a ledger fed through them on SQLite ends with the records and balances of the plain ledger in
// memory. The batches are large enough to go to the threads, which the test checks they did, and the
// calling thread, waiting for them, checks some of their items itself: the facts are the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { receivedFactsOf } from '../../src/core/checkTx.ts';
import { Ledger } from '../../src/core/ledger.ts';
import { nodeStrictVerifier } from '../../src/node/nativeEd25519Verifier.ts';
import { nodeDigests } from '../../src/node/nodeDigests.ts';
import { THREAD_BATCH_MIN, threadedChecker } from '../../src/node/threadedChecker.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { SqliteLedgerStore } from '../../src/storage/sqliteLedgerStore.ts';
import { DAG_NOW, makeTxDag } from '../support/txDag.ts';

const dir = mkdtempSync(join(tmpdir(), 'torrenttx-threaded-checker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dag = makeTxDag(400, 5);
/** The delivery, a copy of one payment with a flipped signature byte, and bytes that are not JSON. */
function hostileBatch(): Uint8Array[] {
  const tampered = dag.made[3]!.bytes.slice();
  const at = new TextDecoder().decode(tampered).indexOf('"signature":"') + 14;
  tampered[at] = tampered[at] === 0x30 ? 0x31 : 0x30;
  return [...dag.delivery, tampered, new TextEncoder().encode('{"tokens":')];
}

it("node:crypto's digests give noble's facts: ids, pins and work", async () => {
  const verify = nodeStrictVerifier();
  const items = hostileBatch();
  const noble = await Promise.all(items.map((bytes) => receivedFactsOf(bytes, verify)));
  expect(await Promise.all(items.map((bytes) => receivedFactsOf(bytes, verify, nodeDigests)))).toEqual(noble);
  expect(new Set(noble.map((f) => (f.check.ok ? f.check.work : -1))).size).toBeGreaterThan(1);
});

it('finds on its threads the facts the calling thread finds', async () => {
  const checker = threadedChecker({ threads: 1 });
  try {
    const items = hostileBatch();
    expect(items.length).toBeGreaterThanOrEqual(THREAD_BATCH_MIN);
    const here = await Promise.all(items.map((bytes) => receivedFactsOf(bytes, nodeStrictVerifier())));
    // The first batches are checked here while the thread loads; ask until the thread answered one.
    const deadline = Date.now() + 60_000;
    while (checker.threadedCount === 0 && Date.now() < deadline) {
      expect(await checker.checkBatch(items)).toEqual(here);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(checker.threadedCount).toBeGreaterThan(0);
    expect(await checker.checkBatch(items)).toEqual(here);
    // Waiting for the thread (hundreds of verifies), this thread checked some of the batch's last items.
    const helped = checker.helpedCount;
    expect(helped).toBeGreaterThan(0);
    expect(await checker.checkBatch([...items, ...items])).toEqual([...here, ...here]);
    expect(checker.helpedCount).toBeGreaterThan(helped);
    expect(here.filter((f) => !f.check.ok).map((f) => (f.check.ok ? '' : f.check.reason))).toEqual(
      expect.arrayContaining(['bad-signature', 'malformed']),
    );
  } finally {
    await checker.close();
  }
}, 120_000);

it('a ledger on SQLite fed through the threads ends as the plain one in memory', async () => {
  const items = hostileBatch();
  const plainStore = new MemoryLedgerStore();
  const plain = new Ledger(plainStore, dag.network.params);
  const checker = threadedChecker({ threads: 1, threadBatchMin: 8 });
  const store = SqliteLedgerStore.open(join(dir, 'ledger.sqlite'), dag.network.genesis.id);
  const threaded = new Ledger(store, dag.network.params, { checkBatch: checker.checkBatch });
  try {
    // In batches of 40: orphans (neighbours swapped) wait across batches and are decided later.
    for (let i = 0; i < items.length; i += 40) {
      const batch = items.slice(i, i + 40);
      await plain.receive(batch, DAG_NOW);
      await threaded.receive(batch, DAG_NOW);
    }
    const statuses = async (s: MemoryLedgerStore | SqliteLedgerStore) =>
      Object.fromEntries(
        (await s.getTxs(items.map((_, i) => dag.made[i]?.id ?? ''))).map((r, i) => [i, r?.status]),
      );
    expect(await statuses(store)).toEqual(await statuses(plainStore));
    expect(await store.allBalances()).toEqual(plainStore.allBalances());
    expect(await store.statusCounts()).toEqual(await plainStore.statusCounts());
  } finally {
    store.close();
    await checker.close();
  }
}, 120_000);

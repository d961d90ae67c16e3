// What a browser's stored ledger must satisfy after any crash (a tab closed mid-sync or mid-payment, the
// browser killed), checked from what IndexedDB holds (readStoredLedger): every stored record's ancestors
// are stored (orphans excepted: their missing parent is why they wait), and replaying the stored bytes in
// arrival order through the core Ledger gives every record the status it has on disk and exactly the
// stored balances. A batch half written, a balance written without its records or the reverse, or a
// record whose parent was lost, each shows up as a line.
import { Ledger } from '../../src/core/ledger.ts';
import type { NetworkParams } from '../../src/core/network.ts';
import { txIdOf } from '../../src/core/txId.ts';
import { strictVerifier } from '../../src/ledger/webCryptoVerifier.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import type { StoredLedger } from './appPage.ts';

/** Every problem found, as lines; empty when the stored ledger is consistent. */
export async function storedLedgerProblems(stored: StoredLedger, network: NetworkParams): Promise<string[]> {
  const bytes = stored.bytes.map((text) => new Uint8Array(Buffer.from(text, 'base64')));
  const ids = bytes.map((b) => txIdOf(b));
  const replay = new MemoryLedgerStore();
  // As the ledger worker builds its Ledger (workers/ledger.worker.ts).
  const ledger = new Ledger(replay, network, {
    verify: await strictVerifier(),
    holdOnlyCoverableFutures: true,
  });
  for (let i = 0; i < bytes.length; i += 500) await ledger.receive(bytes.slice(i, i + 500), Date.now());
  const problems: string[] = [];
  const storedIds = new Set(ids);
  for (const [i, id] of ids.entries()) {
    const record = await replay.getTx(id);
    if (record?.status !== stored.statuses[i]) {
      problems.push(`${id}: stored ${stored.statuses[i]}, replayed ${record?.status ?? 'not kept'}`);
    }
    if (record === undefined || record.status === 'orphan') continue;
    for (let at = record.prev; at !== null; at = (await replay.getTx(at))?.prev ?? null) {
      if (!storedIds.has(at)) {
        problems.push(`${id} (${stored.statuses[i]}): ancestor ${at} not stored`);
        break;
      }
    }
  }
  const replayed = new Map([...(await replay.allBalances())].filter(([, b]) => b !== 0n));
  const onDisk = new Map(
    Object.entries(stored.balances)
      .map(([address, b]) => [address, BigInt(b)] as const)
      .filter(([, b]) => b !== 0n),
  );
  for (const [address, balance] of replayed) {
    if (onDisk.get(address) !== balance)
      problems.push(`${address}: balance stored ${onDisk.get(address) ?? 0n}, replayed ${balance}`);
  }
  for (const [address, balance] of onDisk) {
    if (!replayed.has(address)) problems.push(`${address}: balance ${balance} stored, none replayed`);
  }
  return problems;
}

/** How many stored records have `status`. */
export function countWithStatus(stored: StoredLedger, status: string): number {
  return stored.statuses.filter((s) => s === status).length;
}

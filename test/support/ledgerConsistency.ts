// What a ledger that reopened after a crash must satisfy, checked from its records alone: every record's
// ancestors are stored (orphans excepted: their missing parent is why they wait), arrivals run 0…n−1,
// `spent` is the cost of the accepted children, and every balance equals a recomputation.
import { remainingOf, type TxRecord } from '../../src/core/txRecord.ts';
import type { SqliteLedgerStore } from '../../src/storage/sqliteLedgerStore.ts';

const STATUSES = ['accepted', 'conflict', 'invalid', 'orphan', 'future'] as const;

/** Every problem found, as lines; empty when the ledger is consistent. */
export async function ledgerProblems(store: SqliteLedgerStore): Promise<string[]> {
  const records = new Map<string, TxRecord>();
  for (const status of STATUSES) for (const r of await store.withStatus(status)) records.set(r.id, r);
  const problems: string[] = [];
  const arrivals = [...records.values()].map((r) => r.arrival).sort((a, b) => a - b);
  if (arrivals.some((a, i) => a !== i)) problems.push('arrivals are not 0…n−1');
  if ((await store.getMeta()).nextArrival !== records.size) problems.push('meta.nextArrival ≠ count');
  const balances = new Map<string, bigint>();
  const spent = new Map<string, bigint>();
  const add = (address: string, delta: bigint): void => {
    balances.set(address, (balances.get(address) ?? 0n) + delta);
  };
  for (const record of records.values()) {
    if (record.status !== 'orphan' && record.prev !== null && record.tx !== null) {
      for (let at: string | null = record.prev; at !== null; at = records.get(at)?.prev ?? null) {
        if (!records.has(at)) problems.push(`${record.id} (${record.status}): ancestor ${at} missing`);
      }
    }
    if (record.status !== 'accepted') continue;
    add(record.to!, record.value!);
    if (record.prev !== null) {
      const parent = records.get(record.prev);
      if (parent?.status !== 'accepted') problems.push(`${record.id}: accepted with parent not accepted`);
      else add(parent.to!, -record.cost!);
      spent.set(record.prev, (spent.get(record.prev) ?? 0n) + record.cost!);
    }
  }
  for (const record of records.values()) {
    if (record.status === 'accepted' && (record.spent ?? 0n) !== (spent.get(record.id) ?? 0n))
      problems.push(`${record.id}: spent ${record.spent} ≠ ${spent.get(record.id) ?? 0n}`);
    if (remainingOf(record) < 0n) problems.push(`${record.id}: spent more than its value`);
  }
  const stored = await store.allBalances();
  for (const [address, balance] of balances) {
    if ((stored.get(address) ?? 0n) !== balance)
      problems.push(`${address}: balance ${stored.get(address) ?? 0n} ≠ recomputed ${balance}`);
  }
  for (const address of stored.keys())
    if (!balances.has(address)) problems.push(`${address}: balance with no accepted tx`);
  return problems;
}

// The in-memory LedgerStore: the CLI's and the tests' twin of the IndexedDB store, same interface and
// same indexes (orphans by parent, children by prev, futures by due time).
import { addToIndex as addTo, removeFromIndex as removeFrom } from './idSetIndex.ts';
import type { LedgerChanges, LedgerMeta, LedgerStore, TxRecord } from '../core/txRecord.ts';
import type { Inventory } from '../net/gossipLedger.ts';

export class MemoryLedgerStore implements LedgerStore {
  private readonly records = new Map<string, TxRecord>();
  private readonly byPrev = new Map<string, Set<string>>();
  private readonly orphansByParent = new Map<string, Set<string>>();
  private readonly futures = new Set<string>();
  private readonly balances = new Map<string, bigint>();
  private meta: LedgerMeta = { nextArrival: 0 };

  async getTx(id: string): Promise<TxRecord | undefined> {
    return this.records.get(id);
  }

  async getTxs(ids: readonly string[]): Promise<(TxRecord | undefined)[]> {
    return ids.map((id) => this.records.get(id));
  }

  private lookup(ids: Iterable<string> | undefined): TxRecord[] {
    return [...(ids ?? [])].map((id) => this.records.get(id)!).sort((a, b) => a.arrival - b.arrival);
  }

  async orphansOf(parentId: string): Promise<TxRecord[]> {
    return this.lookup(this.orphansByParent.get(parentId));
  }

  async childrenOf(parentId: string): Promise<TxRecord[]> {
    return this.lookup(this.byPrev.get(parentId));
  }

  async dueFutures(now: number): Promise<TxRecord[]> {
    return this.lookup(this.futures).filter((r) => r.dueAt !== undefined && r.dueAt <= now);
  }

  async getBalance(address: string): Promise<bigint> {
    return this.balances.get(address) ?? 0n;
  }

  async getMeta(): Promise<LedgerMeta> {
    return this.meta;
  }

  async commit(changes: LedgerChanges): Promise<void> {
    for (const record of changes.records) {
      const old = this.records.get(record.id);
      if (old?.waitingOn !== undefined) removeFrom(this.orphansByParent, old.waitingOn, old.id);
      if (record.waitingOn !== undefined) addTo(this.orphansByParent, record.waitingOn, record.id);
      if (record.dueAt !== undefined) this.futures.add(record.id);
      else this.futures.delete(record.id);
      if (old === undefined && record.prev !== null) addTo(this.byPrev, record.prev, record.id);
      this.records.set(record.id, record);
    }
    for (const record of changes.removed ?? []) {
      if (record.waitingOn !== undefined) removeFrom(this.orphansByParent, record.waitingOn, record.id);
      if (record.prev !== null) removeFrom(this.byPrev, record.prev, record.id);
      this.futures.delete(record.id);
      this.records.delete(record.id);
    }
    for (const [address, balance] of changes.balances) this.balances.set(address, balance);
    this.meta = changes.meta;
  }

  async sentTo(address: string): Promise<TxRecord[]> {
    return this.all().filter((r) => r.to === address);
  }

  async sentBy(publicKey: string): Promise<TxRecord[]> {
    return this.all().filter((r) => r.tx?.key === publicKey);
  }

  async acceptedInventory(): Promise<Inventory> {
    const accepted = this.all().filter((r) => r.status === 'accepted');
    return { ids: accepted.map((r) => r.id), times: accepted.map((r) => r.tx!.time) };
  }

  async statusCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = { accepted: 0, conflict: 0, invalid: 0, orphan: 0, future: 0 };
    for (const record of this.records.values()) counts[record.status] = (counts[record.status] ?? 0) + 1;
    return counts;
  }

  /** Every record, in arrival order. */
  all(): TxRecord[] {
    return [...this.records.values()].sort((a, b) => a.arrival - b.arrival);
  }

  /** Every address with a non-zero balance. */
  allBalances(): Map<string, bigint> {
    return new Map([...this.balances].filter(([, balance]) => balance !== 0n));
  }
}

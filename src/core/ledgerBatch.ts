// A write-set over a LedgerStore: the ledger decides a whole batch against it, then commits it in one
// atomic write, so a crash mid-batch leaves the stored ledger as it was before the batch.
import type { LedgerChanges, LedgerMeta, LedgerStore, TxRecord } from './txRecord.ts';

export class LedgerBatch {
  private readonly records = new Map<string, TxRecord>();
  /** Ids of this batch's records by their prev, so overlaid index queries stay O(children). */
  private readonly byPrev = new Map<string, Set<string>>();
  private readonly balances = new Map<string, bigint>();
  private meta: LedgerMeta | undefined;
  /** Ids whose status this batch set (new records and re-decided held ones), apart from `spent` updates. */
  private readonly decidedIds = new Set<string>();
  /** Stored records this batch deletes (held ones dropped by policy). */
  private readonly removed = new Map<string, TxRecord>();

  constructor(private readonly store: LedgerStore) {}

  async getTx(id: string): Promise<TxRecord | undefined> {
    if (this.removed.has(id)) return undefined;
    return this.records.get(id) ?? (await this.store.getTx(id));
  }

  /** Deletes a stored record (a dropped held one): it reads as unknown from here on. */
  remove(record: TxRecord): void {
    this.records.delete(record.id);
    this.byPrev.get(record.prev ?? '')?.delete(record.id);
    this.removed.set(record.id, record);
  }

  put(record: TxRecord): void {
    this.records.set(record.id, record);
    if (record.prev !== null) {
      let siblings = this.byPrev.get(record.prev);
      if (siblings === undefined) this.byPrev.set(record.prev, (siblings = new Set()));
      siblings.add(record.id);
    }
  }

  markDecided(id: string): void {
    this.decidedIds.add(id);
  }

  /** Records whose status this batch set, in arrival order. */
  decided(): TxRecord[] {
    return this.changed().filter((record) => this.decidedIds.has(record.id));
  }

  /** Changed records, in arrival order. */
  changed(): TxRecord[] {
    return [...this.records.values()].sort((a, b) => a.arrival - b.arrival);
  }

  async nextArrival(): Promise<number> {
    this.meta ??= await this.store.getMeta();
    const arrival = this.meta.nextArrival;
    this.meta = { nextArrival: arrival + 1 };
    return arrival;
  }

  async addBalance(address: string, delta: bigint): Promise<void> {
    const current = this.balances.get(address) ?? (await this.store.getBalance(address));
    this.balances.set(address, current + delta);
  }

  /** Store results overlaid with this batch's writes, kept only if `keep` still holds for them. */
  private overlay(
    fromStore: TxRecord[],
    batchIds: Iterable<string>,
    keep: (r: TxRecord) => boolean,
  ): TxRecord[] {
    const merged = new Map<string, TxRecord>();
    for (const record of fromStore) {
      if (!this.removed.has(record.id)) merged.set(record.id, this.records.get(record.id) ?? record);
    }
    for (const id of batchIds) merged.set(id, this.records.get(id)!);
    return [...merged.values()].filter(keep).sort((a, b) => a.arrival - b.arrival);
  }

  async orphansOf(parentId: string): Promise<TxRecord[]> {
    const stored = await this.store.orphansOf(parentId);
    const batchIds = this.byPrev.get(parentId) ?? [];
    return this.overlay(stored, batchIds, (r) => r.status === 'orphan' && r.waitingOn === parentId);
  }

  async childrenOf(parentId: string): Promise<TxRecord[]> {
    const stored = await this.store.childrenOf(parentId);
    return this.overlay(stored, this.byPrev.get(parentId) ?? [], (r) => r.prev === parentId);
  }

  async dueFutures(now: number): Promise<TxRecord[]> {
    const batchFutures = [...this.records.values()].filter((r) => r.status === 'future').map((r) => r.id);
    return this.overlay(
      await this.store.dueFutures(now),
      batchFutures,
      (r) => r.status === 'future' && r.dueAt !== undefined && r.dueAt <= now,
    );
  }

  async commit(): Promise<void> {
    if (this.records.size === 0 && this.balances.size === 0 && this.removed.size === 0) return;
    const changes: LedgerChanges = {
      records: this.changed(),
      ...(this.removed.size === 0 ? {} : { removed: [...this.removed.values()] }),
      balances: this.balances,
      meta: this.meta ?? (await this.store.getMeta()),
    };
    await this.store.commit(changes);
  }
}

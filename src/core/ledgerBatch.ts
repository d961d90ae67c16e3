// A write-set over a LedgerStore: the ledger decides a whole batch against it, then commits it in one
// atomic write, so a crash mid-batch leaves the stored ledger as it was before the batch. It is also the
// batch's read view: what it read from the store is kept (the store does not change until the commit),
// so each stored record is read at most once per batch, and `prefetch` reads many at once.
import type { LedgerChanges, LedgerMeta, LedgerStore, TxRecord } from './txRecord.ts';
import type { TxStatus } from './verdict.ts';

export class LedgerBatch {
  private readonly records = new Map<string, TxRecord>();
  /** Records read from the store (null: the store does not have it), as they were before the batch. */
  private readonly loaded = new Map<string, TxRecord | null>();
  /** Ids of this batch's records by their prev, so overlaid index queries stay O(children). */
  private readonly byPrev = new Map<string, Set<string>>();
  private readonly balances = new Map<string, bigint>();
  private meta: LedgerMeta | undefined;
  /** Ids whose status this batch set (new records and re-decided held ones), apart from `spent` updates. */
  private readonly decidedIds = new Set<string>();
  /** Stored records this batch deletes (held ones dropped by policy). */
  private readonly removed = new Map<string, TxRecord>();

  constructor(private readonly store: LedgerStore) {}

  /** Reads into this view, together, every one of `ids` it does not hold yet (one store round trip). */
  async prefetch(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.records.has(id) && !this.loaded.has(id));
    if (missing.length === 0) return;
    const found = this.store.getTxs
      ? await this.store.getTxs(missing)
      : await Promise.all(missing.map((id) => this.store.getTx(id)));
    missing.forEach((id, i) => this.remember(id, found[i]));
  }

  private remember(id: string, record: TxRecord | undefined): void {
    if (!this.loaded.has(id)) this.loaded.set(id, record ?? null);
  }

  async getTx(id: string): Promise<TxRecord | undefined> {
    if (this.removed.has(id)) return undefined;
    const own = this.records.get(id);
    if (own) return own;
    const seen = this.loaded.get(id);
    if (seen !== undefined) return seen ?? undefined;
    const record = await this.store.getTx(id);
    this.remember(id, record);
    return record;
  }

  /** Deletes a stored record (a dropped held one): it reads as unknown from here on. */
  remove(record: TxRecord): void {
    this.records.delete(record.id);
    this.byPrev.get(record.prev ?? '')?.delete(record.id);
    this.removed.set(record.id, record);
  }

  /** Records a new record, or a new version of one read through this batch (getTx or a query). */
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
      this.remember(record.id, record);
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

  /** The stored status of each changed record that was stored before (LedgerChanges.previousStatus). */
  private previousStatus(): Map<string, TxStatus> {
    const previous = new Map<string, TxStatus>();
    for (const id of this.records.keys()) {
      const before = this.loaded.get(id);
      if (before) previous.set(id, before.status);
    }
    return previous;
  }

  async commit(): Promise<void> {
    await (
      await this.issueCommit()
    ).durable;
  }

  /**
   * Hands the batch to the store and resolves once the store has it (LedgerStore.commit: reads from
   * then on see it); `durable` settles when it is written. The ledger decides its next batch meanwhile.
   */
  async issueCommit(): Promise<{ durable: Promise<void> }> {
    if (this.records.size === 0 && this.balances.size === 0 && this.removed.size === 0) {
      return { durable: Promise.resolve() };
    }
    const changes: LedgerChanges = {
      records: this.changed(),
      ...(this.removed.size === 0 ? {} : { removed: [...this.removed.values()] }),
      balances: this.balances,
      meta: this.meta ?? (await this.store.getMeta()),
      previousStatus: this.previousStatus(),
    };
    const durable = this.store.commit(changes);
    durable.catch(() => undefined); // the caller awaits it; this only keeps it from counting as unhandled
    return { durable };
  }
}

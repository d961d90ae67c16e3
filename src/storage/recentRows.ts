// The rows a store wrote or read most recently, by key, at most `limit` of them (the oldest go first).
// For a store whose rows only its own connection writes: it puts each row here as it writes it, so a
// read of something written or read lately costs no database round trip. While a tab catches up, the
// parents of each batch are mostly the transactions of the batches just before it.
export class RecentRows<V> {
  private readonly rows = new Map<string, V>();

  constructor(readonly limit: number) {}

  get(key: string): V | undefined {
    return this.rows.get(key);
  }

  set(key: string, row: V): void {
    // Deleted first so that the key moves to the young end of the insertion order.
    this.rows.delete(key);
    this.rows.set(key, row);
    if (this.rows.size > this.limit) this.rows.delete(this.rows.keys().next().value!);
  }

  delete(key: string): void {
    this.rows.delete(key);
  }

  clear(): void {
    this.rows.clear();
  }

  get size(): number {
    return this.rows.size;
  }
}

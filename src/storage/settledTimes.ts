// When each of the wallet's payments was found settled (src/core/paymentState.ts), kept so that a reload or
// an offline start shows a settled payment as settled at once instead of watching it for a window again.
// The IndexedDB ledger keeps them in its `settled` store (src/storage/idbLedgerStore.ts); this memory twin
// serves tests and the Node wallet. One row per payment of the wallet that settled: they grow with the
// wallet's own history, not with anything a peer sends.

export interface SettledTimes {
  /** When each id was found settled, or undefined. */
  settledTimes(ids: readonly string[]): Promise<(number | undefined)[]>;
  /** Stores when each id was found settled (a later note of the same id replaces it). */
  noteSettled(entries: readonly (readonly [id: string, at: number])[]): Promise<void>;
}

export class MemorySettledTimes implements SettledTimes {
  private readonly times = new Map<string, number>();

  async settledTimes(ids: readonly string[]): Promise<(number | undefined)[]> {
    return ids.map((id) => this.times.get(id));
  }

  async noteSettled(entries: readonly (readonly [string, number])[]): Promise<void> {
    for (const [id, at] of entries) this.times.set(id, at);
  }
}

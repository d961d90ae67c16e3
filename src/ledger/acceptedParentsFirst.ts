// The accepted transactions of a ledger in an order any node can replay: each one after its parent
// (arrival order alone is not that: a child that arrived first waited as an orphan). Accepted ones only,
// so a replay reaches the same accepted set and the same balances (PROTOCOL §5: an accepted tx's parent
// is accepted, and the accepted children of one parent all fit in it, whatever their order).
import type { TxRecord } from '../core/txRecord.ts';
import type { QueryableLedgerStore } from './queryableStore.ts';

/** Yields the bytes of every accepted record, genesis first, parents before children. */
export async function* acceptedParentsFirst(
  store: Pick<QueryableLedgerStore, 'acceptedInventory' | 'getTx'>,
): AsyncGenerator<Uint8Array> {
  const written = new Set<string>();
  for (const id of (await store.acceptedInventory()).ids) {
    // Walk up to the first ancestor not yet written, then write the chain down again.
    const chain: TxRecord[] = [];
    for (let at: string | null = id; at !== null && !written.has(at);) {
      const record: TxRecord | undefined = await store.getTx(at);
      if (record?.status !== 'accepted' || record.bytes === null) break;
      chain.push(record);
      at = record.prev;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      written.add(chain[i]!.id);
      yield chain[i]!.bytes!;
    }
  }
}

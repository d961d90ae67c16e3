// Adapts the core Ledger to what gossip needs (src/net/gossipLedger.ts): receive bytes, report verdicts
// and what became accepted, answer inventory and requests. Runs in the ledger worker, or in Node tests.
import type { Ledger } from '../core/ledger.ts';
import type { TxRecord } from '../core/txRecord.ts';
import { isHeld } from '../core/verdict.ts';
import type { GossipLedger, GossipReceipt } from '../net/gossipLedger.ts';
import type { QueryableLedgerStore } from './queryableStore.ts';

export function gossipLedgerOf(
  ledger: Ledger,
  store: QueryableLedgerStore,
  clock: () => number,
  /** Which accepted records this node should also seed as torrents (its wallet's); none if absent. */
  ours?: (record: TxRecord) => boolean,
): GossipLedger {
  const read = (ids: string[]) =>
    store.getTxs ? store.getTxs(ids) : Promise.all(ids.map((id) => store.getTx(id)));
  return {
    async receive(items: Uint8Array[]): Promise<GossipReceipt> {
      const result = await ledger.receive(items, clock());
      const verdicts = result.outcomes.map(({ kind, id, record }) => ({
        id,
        kind,
        status: record.status,
        ...(record.reason === undefined ? {} : { reason: record.reason }),
        ...(record.waitingOn === undefined ? {} : { waitingOn: record.waitingOn }),
      }));
      const accepted = result.decided
        .filter((record) => record.status === 'accepted' && record.bytes !== null)
        .map((record) => ({
          id: record.id,
          bytes: record.bytes!,
          ...(ours === undefined ? {} : { seed: ours(record) }),
        }));
      return { verdicts, accepted };
    },
    async known(ids: string[]): Promise<boolean[]> {
      return (await read(ids)).map((record) => record !== undefined);
    },
    async bytesOf(ids: string[]): Promise<(Uint8Array | null)[]> {
      return (await read(ids)).map((record) =>
        record && (record.status === 'accepted' || isHeld(record.status)) ? record.bytes : null,
      );
    },
    inventory: () => store.acceptedIds(),
  };
}

// Adapts the core Ledger to what gossip needs (src/net/gossipLedger.ts): receive bytes, report verdicts
// and what became accepted, answer inventory and requests. Runs in the ledger worker, or in Node tests.
import type { Ledger } from '../core/ledger.ts';
import type { TxRecord } from '../core/txRecord.ts';
import { isHeld } from '../core/verdict.ts';
import type { AcceptedTx, GossipLedger, GossipReceipt, GossipVerdict } from '../net/gossipLedger.ts';
import type { QueryableLedgerStore } from './queryableStore.ts';
import { conflictEvidenceOf } from './conflictEvidenceOf.ts';

/** Accepted, with bytes to pass on (bytes are null only for too-large, never-accepted ones). */
export function isRelayable(record: TxRecord): boolean {
  return record.status === 'accepted' && record.bytes !== null;
}

export function acceptedTxOf(record: TxRecord): AcceptedTx {
  return { id: record.id, bytes: record.bytes!, time: record.tx!.time };
}

export function gossipLedgerOf(
  ledger: Ledger,
  store: QueryableLedgerStore,
  clock: () => number,
  /** Marks the accepted transactions this node seeds as torrents (its wallet's own). */
  ours: (record: TxRecord) => boolean = () => false,
): GossipLedger {
  const read = (ids: string[]) =>
    store.getTxs ? store.getTxs(ids) : Promise.all(ids.map((id) => store.getTx(id)));
  /** What answering a peer needs of each id, without decoding whole records where the store can. */
  const readServed = (ids: string[]) => (store.statusAndBytes ? store.statusAndBytes(ids) : read(ids));
  return {
    async receive(items: Uint8Array[], ids?: string[]): Promise<GossipReceipt> {
      const result = await ledger.receive(items, clock(), ids);
      const verdicts = result.outcomes.map((outcome): GossipVerdict => {
        if (outcome.kind === 'dropped') return { id: outcome.id, kind: 'dropped' };
        const { kind, id, record } = outcome;
        return {
          id,
          kind,
          status: record.status,
          ...(record.reason === undefined ? {} : { reason: record.reason }),
          ...(record.waitingOn === undefined ? {} : { waitingOn: record.waitingOn }),
        };
      });
      const accepted = result.decided
        .filter(isRelayable)
        .map((record) => ({ ...acceptedTxOf(record), seed: ours(record) }));
      const settled = result.decided.filter((r) => !isHeld(r.status)).map((r) => r.id);
      // Evidence of a conflict this node already knew (a duplicate) is reported again: the relay passes
      // each output's evidence on once (src/net/evidence/conflictRecords.ts), and the wallet learns when.
      const knownConflicts = result.outcomes.flatMap((outcome) =>
        outcome.kind === 'duplicate' && outcome.record.status === 'conflict' ? [outcome.record] : [],
      );
      const conflicts = await conflictEvidenceOf([...result.decided, ...knownConflicts], read);
      return { verdicts, accepted, settled, conflicts };
    },
    async known(ids: string[]): Promise<boolean[]> {
      return (await readServed(ids)).map((record) => record !== undefined);
    },
    async bytesOf(ids: string[]): Promise<(Uint8Array | null)[]> {
      return (await readServed(ids)).map((record) =>
        record && (record.status === 'accepted' || isHeld(record.status)) ? record.bytes : null,
      );
    },
    inventory: () => store.acceptedInventory(),
    dropHeld: (ids: string[]) => ledger.dropHeld(ids),
  };
}

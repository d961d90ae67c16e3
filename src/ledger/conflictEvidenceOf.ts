// The evidence of double spends the ledger just found: for each record it decided `conflict` (PROTOCOL
// §5.13), the accepted siblings it lost to (`conflictWith`, the costliest first, at most
// MAX_EVIDENCE_TXS − 1 of them) and the losing spend itself, as signed bytes anyone can check.
// `conflictWith` lists every accepted sibling (an output such as the devnet genesis may have thousands),
// and evidence a peer repeats is reported again: so at most MAX_SIBLINGS_READ of them are read, the
// costliest of those kept.
import type { TxRecord } from '../core/txRecord.ts';
import { MAX_EVIDENCE_TXS, type FoundConflict } from '../net/evidence/conflictFrame.ts';

/** Accepted siblings read per losing spend. */
export const MAX_SIBLINGS_READ = 32;

export async function conflictEvidenceOf(
  decided: readonly TxRecord[],
  read: (ids: string[]) => Promise<(TxRecord | undefined)[]>,
): Promise<FoundConflict[]> {
  const found: FoundConflict[] = [];
  for (const loser of decided) {
    if (loser.status !== 'conflict' || loser.bytes === null || loser.prev === null) continue;
    const siblings = (await read((loser.conflictWith ?? []).slice(0, MAX_SIBLINGS_READ))).filter(
      (record): record is TxRecord & { bytes: Uint8Array } => record?.bytes != null,
    );
    siblings.sort((a, b) => ((b.cost ?? 0n) > (a.cost ?? 0n) ? 1 : (b.cost ?? 0n) < (a.cost ?? 0n) ? -1 : 0));
    const kept = siblings.slice(0, MAX_EVIDENCE_TXS - 1);
    if (kept.length === 0) continue;
    found.push({
      output: loser.prev,
      txs: [...kept.map((r) => ({ id: r.id, bytes: r.bytes })), { id: loser.id, bytes: loser.bytes }],
    });
  }
  return found;
}

// Which of a wallet's accepted transactions pays for a new one: the smallest whose remaining value covers
// the cost, so large outputs stay whole. Pure.
import { remainingOf, type TxRecord } from '../core/txRecord.ts';

export function chooseSource(
  outputs: readonly TxRecord[],
  cost: (source: TxRecord) => bigint,
): TxRecord | undefined {
  return outputs
    .filter((record) => record.status === 'accepted' && remainingOf(record) >= cost(record))
    .sort((a, b) =>
      remainingOf(a) < remainingOf(b) ? -1 : remainingOf(a) > remainingOf(b) ? 1 : a.arrival - b.arrival,
    )[0];
}

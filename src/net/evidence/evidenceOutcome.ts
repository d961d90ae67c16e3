// Whether a CONFLICT frame was evidence of a double spend, judged once the ledger decided its spends.
//
// doubleSpendShape.ts checks before the queue what the bytes alone can say: one output, one key. Whether
// the spends really conflict (their costs exceed what is left of the output, PROTOCOL §5.13) needs the
// ledger. In real evidence at most one spend of the output can be first-seen, so the ledger decides at
// least one of them `conflict` (or has already). A frame whose spends were all accepted was a handful of
// payments sent as evidence to jump the queue and the pushed-transaction bucket (issue 16 item 3): its
// sender is dropped. A spend still held (orphan, future) or declined leaves the frame undecided, and an
// invalid one is judged by its reason where every verdict is (txGossip.ts actOn), so neither counts here.

/** The ledger's status for each of a frame's spends (undefined where it stored none). */
export function wasNoConflict(statuses: readonly (string | undefined)[]): boolean {
  return statuses.length > 0 && statuses.every((status) => status === 'accepted');
}

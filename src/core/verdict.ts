// Verdict vocabulary of PROTOCOL §5: statuses and the reason codes of `invalid`.

export type TxStatus = 'accepted' | 'conflict' | 'invalid' | 'orphan' | 'future';

/** Reasons of an `invalid` verdict, in the order PROTOCOL §5 checks them. */
export type InvalidReason =
  | 'too-large'
  | 'malformed'
  | 'non-canonical'
  | 'bad-signature'
  | 'not-genesis'
  | 'parent-rejected'
  | 'wrong-owner'
  | 'time-before-prev'
  | 'overspend';

/** Held statuses are not final: the transaction is decided again when what it waits for arrives. */
export function isHeld(status: TxStatus): status is 'orphan' | 'future' {
  return status === 'orphan' || status === 'future';
}

/** PROTOCOL §5.8: children of these parents are `parent-rejected`. */
export function isRejected(status: TxStatus): status is 'invalid' | 'conflict' {
  return status === 'invalid' || status === 'conflict';
}

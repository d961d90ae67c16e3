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

/**
 * Invalid reasons an honest node never relays: it would have found them invalid itself, so a peer that
 * sends one is disconnected. Not `parent-rejected` (nor a `conflict`): in a double spend, honest nodes
 * that saw the other side first accept it, relay it and relay its children.
 */
export const DISHONEST: ReadonlySet<InvalidReason> = new Set<InvalidReason>([
  'too-large',
  'malformed',
  'non-canonical',
  'bad-signature',
  'not-genesis',
  'wrong-owner',
  'time-before-prev',
  'overspend',
]);

/** Whether a verdict's reason (as it crosses a worker boundary: any string) is one of DISHONEST. */
export function isDishonest(reason: string | undefined): boolean {
  return (DISHONEST as ReadonlySet<string | undefined>).has(reason);
}

/** Held statuses are not final: the transaction is decided again when what it waits for arrives. */
export function isHeld(status: TxStatus): status is 'orphan' | 'future' {
  return status === 'orphan' || status === 'future';
}

/** PROTOCOL §5.8: children of these parents are `parent-rejected`. */
export function isRejected(status: TxStatus): status is 'invalid' | 'conflict' {
  return status === 'invalid' || status === 'conflict';
}

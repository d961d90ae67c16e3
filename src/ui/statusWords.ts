// A transaction's status in words (PROTOCOL §5), for the history and the detail.
import type { TxStatus } from '../core/verdict.ts';

const WORDS: Record<TxStatus, string> = {
  accepted: 'accepted',
  orphan: 'held: orphan, waiting for its parent to arrive',
  future: "held: future, its time is more than 10 minutes ahead of this node's clock",
  conflict: 'conflict: a double spend that another transaction beat',
  invalid: 'invalid',
};

export function statusWords(status: TxStatus, reason: string | null): string {
  return status === 'invalid' ? `invalid: ${reason ?? 'unknown reason'}` : WORDS[status];
}

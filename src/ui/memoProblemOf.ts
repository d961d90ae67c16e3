// A memo over the protocol's limit (MAX_MEMO_BYTES, PROTOCOL §4), said in words a person can act on:
// how long it is, what fits, and how much to cut. Null when it fits.
import { memoProblem } from '../core/fieldProblems.ts';
import { MAX_MEMO_BYTES } from '../core/tx.ts';
import { encodeUtf8 } from '../core/utf8.ts';

export function memoProblemOf(memo: string): string | null {
  if (memoProblem(memo) === undefined) return null; // the rule lives in core; this is its wording
  const bytes = encodeUtf8(memo).length;
  return `The memo is ${bytes} bytes; it can hold ${MAX_MEMO_BYTES}. Shorten it by ${bytes - MAX_MEMO_BYTES} bytes (most letters take 1, accented ones 2, emoji 4).`;
}

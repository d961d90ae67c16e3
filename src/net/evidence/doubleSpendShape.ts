// Whether the transactions of a CONFLICT frame have the shape of a double spend, on their bytes alone:
// checked before the evidence is queued, so that the frame (which goes to the ledger ahead of queued
// transactions) cannot carry payments that have nothing to do with each other.
//
// Two transactions can only conflict if they spend the same output (PROTOCOL §5.13: "cost exceeds what is
// left of the parent"), and two spends of one output that both pass §5.9 (wrong-owner: the address of
// `key` is the parent's `to`) carry the same `key`. So real evidence is: distinct transactions (the frame
// decoder checks that), each well formed (checks 1–4, parseTx), all with the same non-null `prev` and the
// same `key`. Whether their costs really exceed the output's value needs the parent and is left to the
// ledger, as are the signatures (check 5, verified once, by the ledger; a bad one disconnects the sender
// as any dishonest verdict does). This file applies no rule of its own: it reads fields the core parsed.
import { parseTx } from '../../core/parseTx.ts';
import type { EvidenceTx } from './conflictFrame.ts';

/** What keeps these transactions from being a double spend of one output, or undefined when nothing. */
export function doubleSpendProblem(txs: readonly EvidenceTx[]): string | undefined {
  let prev: string | undefined;
  let key: string | undefined;
  for (const { id, bytes } of txs) {
    const parsed = parseTx(bytes);
    if (!parsed.ok) return `evidence ${id} is not a transaction (${parsed.reason}: ${parsed.detail})`;
    const { tx } = parsed;
    if (tx.prev === null) return `evidence ${id} spends no output (prev is null)`;
    prev ??= tx.prev;
    key ??= tx.key;
    if (tx.prev !== prev) return `not a double spend: evidence spends ${prev} and ${tx.prev}`;
    if (tx.key !== key) return `not a double spend: evidence of ${prev} signed by two keys`;
  }
  return undefined;
}

// How a wallet pays an amount from the transactions it received. A transaction spends from one `prev`,
// so when no single received payment covers the amount, the wallet makes several payments to the same
// recipient, each from its own source, that add up to the amount. Every part reserves the worst-case fee
// (the whole branch base, if it is signed without mining), so whatever the user then chooses to mine,
// no part can overspend. Pure.
import { remainingOf, type TxRecord } from '../core/txRecord.ts';
import { branchBase } from '../core/work.ts';

export interface PlannedPart {
  readonly source: TxRecord;
  readonly tokens: bigint;
}

export type PaymentPlan = { ok: true; parts: PlannedPart[] } | { ok: false; problem: string };

/** The most a source can pay when its part is signed without any work. */
export function capacity(source: TxRecord, powUnit: bigint): bigint {
  return remainingOf(source) - BigInt(branchBase(source.recentWork ?? [])) * powUnit;
}

export function planPayment(outputs: readonly TxRecord[], amount: bigint, powUnit: bigint): PaymentPlan {
  const usable = outputs.filter((r) => r.status === 'accepted' && capacity(r, powUnit) >= 1n);
  // One source if any covers it: the smallest such, so large outputs stay whole.
  const single = usable
    .filter((r) => capacity(r, powUnit) >= amount)
    .sort((a, b) => (capacity(a, powUnit) < capacity(b, powUnit) ? -1 : 1))[0];
  if (single) return { ok: true, parts: [{ source: single, tokens: amount }] };
  // Otherwise the largest first, so the payment takes as few parts as it can.
  const parts: PlannedPart[] = [];
  let left = amount;
  for (const source of [...usable].sort((a, b) => (capacity(a, powUnit) > capacity(b, powUnit) ? -1 : 1))) {
    if (left === 0n) break;
    const take = capacity(source, powUnit) < left ? capacity(source, powUnit) : left;
    parts.push({ source, tokens: take });
    left -= take;
  }
  if (left > 0n) {
    const total = outputs.reduce((sum, r) => sum + remainingOf(r), 0n);
    return {
      ok: false,
      problem:
        total < amount
          ? `not enough tokens: ${total} spendable, ${amount} asked`
          : `not enough tokens once fees are reserved: at most ${amount - left} can be sent now`,
    };
  }
  return { ok: true, parts };
}

/**
 * Whether a part planned from `source` can still be signed: the source, as stored now, is accepted and
 * what is left of it still covers the part and the worst-case fee (another payment may have spent from it
 * since the plan was made).
 */
export function stillCovers(source: TxRecord | undefined, tokens: number, powUnit: bigint): boolean {
  return source?.status === 'accepted' && capacity(source, powUnit) >= BigInt(tokens);
}

// Planning a payment over received transactions: one source when one covers it (the smallest such),
// several otherwise, always reserving the worst-case fee of each part.
import { describe, expect, it } from 'vitest';
import type { TxRecord } from '../../src/core/txRecord.ts';
import { planPayment } from '../../src/ledger/planPayment.ts';

function output(id: string, value: bigint, spent = 0n, recentWork = [4]): TxRecord {
  return {
    id,
    arrival: Number.parseInt(id, 16),
    bytes: null,
    sha256: '',
    tx: null,
    prev: null,
    to: null,
    status: 'accepted',
    value,
    spent,
    recentWork,
  };
}

describe('planPayment', () => {
  it('uses the smallest single source that covers amount + worst-case fee', () => {
    const plan = planPayment([output('1', 1000n), output('2', 110n), output('3', 500n)], 100n, 1n);
    expect(plan).toMatchObject({ ok: true, parts: [{ source: { id: '2' }, tokens: 100n }] });
  });
  it('splits across sources, largest first, when none covers it alone', () => {
    const plan = planPayment([output('1', 1000n), output('2', 1000n, 200n)], 1500n, 1n);
    if (!plan.ok) throw new Error(plan.problem);
    expect(plan.parts.map((p) => [p.source.id, p.tokens])).toEqual([
      ['1', 996n],
      ['2', 504n],
    ]);
  });
  it('reserves fees at powUnit per bit, and says how much can be sent', () => {
    const plan = planPayment([output('1', 100n, 0n, [10])], 100n, 3n);
    expect(plan).toEqual({
      ok: false,
      problem: 'not enough tokens once fees are reserved: at most 70 can be sent now',
    });
  });
  it('says when the balance is short', () => {
    expect(planPayment([output('1', 50n)], 100n, 1n)).toEqual({
      ok: false,
      problem: 'not enough tokens: 50 spendable, 100 asked',
    });
  });
  it('ignores what is not accepted', () => {
    const held = { ...output('1', 1000n), status: 'orphan' as const };
    expect(planPayment([held], 10n, 1n).ok).toBe(false);
  });
});

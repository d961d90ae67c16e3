// The network simulation at a small size (bench/sim/runSim.ts; `npm run sim` runs it at 1,000 nodes):
// 50 real gossip nodes on simulated links must all accept every payment and all record the double spend,
// with no honest peer dropped, over clean links and over lossy, rate-limited ones.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM, runSim, type SimOptions } from '../../bench/sim/runSim.ts';

const SMALL: SimOptions = { ...DEFAULT_SIM, nodes: 50, payments: 3, seed: 7 };

describe('network simulation', () => {
  it('every node accepts every payment and records the double spend', async () => {
    const result = await runSim(SMALL);
    expect(result.missedPayments).toBe(0);
    expect(result.propagationMs).toHaveLength(SMALL.payments * (SMALL.nodes - 1));
    expect(result.missedConflicts).toBe(0);
    expect(result.conflictMs).toHaveLength(SMALL.nodes);
    // Each node accepted exactly one of the two spends: first seen wins, the other is the conflict.
    expect(result.firstSeen[0] + result.firstSeen[1]).toBe(SMALL.nodes);
    expect(result.ledgerConflicts).toBe(SMALL.nodes);
    expect(result.misbehaviour).toEqual([]);
    expect(Math.min(...result.connections)).toBeGreaterThanOrEqual(SMALL.minDegree);
    expect(Math.max(...result.connections)).toBeLessThanOrEqual(SMALL.maxDegree);
    // Shared verdicts: each distinct signature (the genesis, the payments, the two spends) was checked
    // once for the whole network.
    expect(result.verdicts.verified).toBe(1 + SMALL.payments + 2);
  });

  it('still reaches every node over lossy links with a slow uplink, dropping no honest peer', async () => {
    const result = await runSim({ ...SMALL, loss: 0.05, uplinkMbps: 1, seed: 8 });
    expect(result.missedPayments).toBe(0);
    expect(result.missedConflicts).toBe(0);
    expect(result.misbehaviour).toEqual([]);
  });

  it('gives the same figures for the same seed', async () => {
    const options = { ...SMALL, nodes: 20, payments: 2, minDegree: 4, maxDegree: 6 };
    const [first, second] = [await runSim(options), await runSim(options)];
    expect(second.propagationMs).toEqual(first.propagationMs);
    expect(second.conflictMs).toEqual(first.conflictMs);
    expect(second.paymentBytes).toEqual(first.paymentBytes);
  });
});

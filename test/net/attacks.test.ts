// The older attacks of the catalogue, each by three rogues at once that come back with a fresh peer id
// whenever they are dropped, against an honest node (the victim) over real webtorrent wires on loopback,
// while two honest nodes keep paying each other every 2 s (test/support/attackHarness.ts). For each: the
// rogues are disconnected, what they made the victim hold stays under the bounds and tracked by the hold
// policy, every honest payment still arrives within 1 s (p95), and no honest peer is banned. Each prints
// its line of the note's table (with the CPU the rogues cost, not asserted here). The orphan flood, the
// SYNC flood and the CONFLICT flood are in attacksRogues.test.ts; the huge length prefix in
// exchange/wireLengthAttack.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANNOUNCED_PER_PEER } from '../../src/net/exchange/txRequestTracker.ts';
import { waitFor } from '../support/nodePeer.ts';
import {
  expectAttackHeld,
  mallory,
  runAttack,
  startAttackNetwork,
  type AttackNetwork,
} from '../support/attackHarness.ts';
import { pay } from '../support/testNetwork.ts';
import { remainingOf } from '../../src/core/txRecord.ts';

const ROGUES = 3;
const DURATION_MS = 10_000;
/** Rate limits cut a rogue off within this of its first frame. */
const DROPPED_WITHIN_MS = 10_000;
let net: AttackNetwork;

beforeAll(async () => {
  net = await startAttackNetwork();
}, 90_000);

afterAll(async () => {
  await net?.close();
});

describe('three hostile peers with fresh ids cannot hurt an honest node', () => {
  it('a flood of futures spending one output is cut off, and at most what the output covers is held', async () => {
    // Mallory owns a small output (1 token paid, plus what its hash mints by chance: PROTOCOL's proof of
    // work); the rogues date 1-token spends of it a year ahead.
    const small = pay(mallory, mallory, 1, net.funds.mallory, Date.now() - 30_000);
    await net.honestA.send(small);
    await waitFor(
      'the victim to accept the small output',
      [net.victim],
      async () => (await net.victim.store.getTx(small.id))?.status === 'accepted',
    );
    const figures = await runAttack(net, {
      name: 'futures spending one output',
      kind: 'futures',
      params: { output: small.id },
      rogues: ROGUES,
      durationMs: DURATION_MS,
    });
    const record = await net.victim.store.getTx(small.id);
    expect(figures.heldPeak).toBeLessThanOrEqual(Number(remainingOf(record!)));
    expect(figures.msToDrop.length).toBeGreaterThan(0);
    expect(figures.longestUndroppedMs).toBeLessThanOrEqual(DROPPED_WITHIN_MS);
    expectAttackHeld(figures, { cpu: false });
  }, 120_000);

  it('a HAVE flood of random ids is cut off, and the ids it announced stay under the per-peer cap', async () => {
    const figures = await runAttack(net, {
      name: 'HAVE flood of random ids',
      kind: 'have',
      rogues: ROGUES,
      durationMs: DURATION_MS,
      sample: () => net.victim.node.gossip.progress().wanted,
    });
    console.log(`HAVE flood: at most ${figures.samplePeak} ids waited to be fetched`);
    expect(figures.samplePeak).toBeLessThanOrEqual(ROGUES * MAX_ANNOUNCED_PER_PEER);
    expect(figures.msToDrop.length).toBeGreaterThan(0);
    expect(figures.longestUndroppedMs).toBeLessThanOrEqual(DROPPED_WITHIN_MS);
    expectAttackHeld(figures, { cpu: false });
  }, 120_000);

  it('a flood of valid 1-token payments pushed unasked is cut off at its rate limit', async () => {
    const figures = await runAttack(net, {
      name: 'valid 1-token payments pushed unasked',
      kind: 'payments',
      params: { output: net.funds.mallory },
      rogues: ROGUES,
      durationMs: DURATION_MS,
    });
    expect(figures.msToDrop.length).toBeGreaterThan(0);
    expect(Math.max(...figures.msToDrop)).toBeLessThan(DROPPED_WITHIN_MS); // the rate limit, not a time-out
    expect(figures.longestUndroppedMs).toBeLessThanOrEqual(DROPPED_WITHIN_MS);
    expectAttackHeld(figures, { cpu: false });
  }, 120_000);
});

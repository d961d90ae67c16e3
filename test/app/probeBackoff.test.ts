// The server probe's schedule (src/app/probeBackoff.ts): 3 s, doubling, capped at 60 s; so a server down
// for ten minutes costs a dozen probes, where one every 3 s made 200.
import { describe, expect, it } from 'vitest';
import { PROBE_FIRST_MS, PROBE_MAX_MS, probeDelayMs } from '../../src/app/probeBackoff.ts';

describe('probeDelayMs', () => {
  it('starts at 3 s and doubles after each failed probe, up to 60 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 100].map(probeDelayMs)).toEqual([
      3_000, 6_000, 12_000, 24_000, 48_000, 60_000, 60_000, 60_000,
    ]);
    expect(PROBE_FIRST_MS).toBe(3_000);
    expect(PROBE_MAX_MS).toBe(60_000);
  });

  it('makes about a dozen probes in ten minutes of a server that stays down', () => {
    let at = 0;
    let probes = 0;
    while ((at += probeDelayMs(probes)) <= 600_000) probes++;
    expect(probes).toBe(13);
  });
});

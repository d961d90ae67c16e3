// The slot policy and the BUSY frame (src/net/exchange/admission.ts, src/net/txWireProtocol.ts): each
// sentence of admission.ts's specification that is bookkeeping, checked here; the network path (turned
// away, told, came back) is test/node/crowd.test.ts.
import { describe, expect, it } from 'vitest';
import {
  BUSY_RETRY_S,
  IDLE_RELEASE_MS,
  idlestPeer,
  RELEASED_RETRY_S,
  releasedRetryAfterS,
  retryAfterS,
  soonestRelease,
} from '../../../src/net/exchange/admission.ts';
import { decodeFrame, encodeBusy, MAX_RETRY_AFTER_S } from '../../../src/net/txWireProtocol.ts';

const peer = (name: string, lastAskedAt: number, busy = false) => ({ name, lastAskedAt, busy });

describe('rule 2a: the idlest peer gives its slot up', () => {
  const now = 100_000;

  it('is the one that asked nothing longest, once that is IDLE_RELEASE_MS or more', () => {
    const peers = [peer('a', now - IDLE_RELEASE_MS), peer('b', now - 3 * IDLE_RELEASE_MS), peer('c', now)];
    expect(idlestPeer(peers, now)?.name).toBe('b');
  });

  it('is nobody while every peer asked something within IDLE_RELEASE_MS', () => {
    expect(idlestPeer([peer('a', now - IDLE_RELEASE_MS + 1), peer('b', now)], now)).toBeUndefined();
  });

  it('is never a peer that waits for answers or is being fetched from, however long ago it asked', () => {
    expect(idlestPeer([peer('a', 0, true), peer('b', now - IDLE_RELEASE_MS)], now)?.name).toBe('b');
    expect(idlestPeer([peer('a', 0, true)], now)).toBeUndefined();
  });
});

describe('rule 3: the come-back delay', () => {
  it('is when the first peer that is not busy may be let go, plus 0–2 s', () => {
    const now = 50_000;
    const soonest = soonestRelease([peer('a', now - 1000), peer('b', now - 4000), peer('c', 0, true)], now);
    expect(soonest).toBe(IDLE_RELEASE_MS - 4000);
    expect(retryAfterS(() => 0, soonest)).toBe(2);
    expect(retryAfterS(() => 0.99, soonest)).toBe(3);
    expect(soonestRelease([peer('c', 0, true)], now)).toBeUndefined();
  });

  it('is BUSY_RETRY_S ± half when every peer is busy, spread at random', () => {
    const seen = new Set<number>();
    for (let r = 0; r < 1; r += 0.01) {
      const s = retryAfterS(() => r);
      expect(s).toBeGreaterThanOrEqual(Math.floor(BUSY_RETRY_S / 2));
      expect(s).toBeLessThanOrEqual(Math.ceil(BUSY_RETRY_S * 1.5));
      seen.add(s);
    }
    expect(seen.size).toBeGreaterThan(2);
  });
});

describe('rule 3: a peer let go idle', () => {
  it('is asked to come back after RELEASED_RETRY_S ± half, later than one turned away', () => {
    expect(releasedRetryAfterS(() => 0)).toBe(RELEASED_RETRY_S / 2);
    expect(releasedRetryAfterS(() => 0.99)).toBeLessThanOrEqual(RELEASED_RETRY_S * 1.5);
    expect(releasedRetryAfterS(() => 0)).toBeGreaterThan(Math.ceil(BUSY_RETRY_S * 1.5));
  });
});

describe('the BUSY frame', () => {
  it('round-trips 1 to MAX_RETRY_AFTER_S seconds', () => {
    for (const s of [1, 7, 255, 256, MAX_RETRY_AFTER_S]) {
      expect(decodeFrame(encodeBusy(s))).toEqual({ type: 'busy', retryAfterS: s });
    }
  });

  it('is never made with a delay out of bounds', () => {
    for (const s of [0, -1, 1.5, MAX_RETRY_AFTER_S + 1]) expect(() => encodeBusy(s)).toThrow(RangeError);
  });

  it('decodes as bad when out of shape or out of bounds, never throws', () => {
    const bad = [
      [0x09],
      [0x09, 0],
      [0x09, 0, 0],
      [0x09, 0, 1, 0],
      [0x09, (MAX_RETRY_AFTER_S + 1) >>> 8, (MAX_RETRY_AFTER_S + 1) & 0xff],
      [0x09, 0xff, 0xff],
    ];
    for (const frame of bad) expect(decodeFrame(Uint8Array.from(frame)).type).toBe('bad');
  });
});

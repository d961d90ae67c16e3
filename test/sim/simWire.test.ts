// The simulation's links (bench/sim/simWire.ts) keep the real wire's promises: every frame arrives, in
// the order sent, one latency later on a clean link; loss only delays (by retransmission time-outs, with
// the frames behind waiting); a closed wire tells the other end one latency later.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/generateDag.ts';
import { connect, RTO_FLOOR_MS, type LinkEnd } from '../../bench/sim/simWire.ts';
import { VirtualTime } from '../../bench/sim/virtualTime.ts';
import type { GossipWire } from '../../src/net/txGossip.ts';

interface Received {
  at: number;
  byte: number;
}

function endNamed(name: string, time: VirtualTime, log: Received[], handshakes: unknown[]): LinkEnd {
  class Recorder {
    constructor(wire: GossipWire) {
      wire.extendedHandshake.name = name;
    }
    onExtendedHandshake(handshake: Record<string, unknown>) {
      handshakes.push(handshake.name);
    }
    onMessage(payload: Uint8Array) {
      log.push({ at: time.now, byte: payload[0]! });
    }
  }
  return { name, address: name, extension: Recorder, uplink: { bitsPerMs: Infinity, freeAt: 0 } };
}

function link(loss: number) {
  const time = new VirtualTime(0);
  const atB: Received[] = [];
  const handshakes: unknown[] = [];
  const a = endNamed('a', time, [], handshakes);
  const b = endNamed('b', time, atB, handshakes);
  const [wireA, wireB] = connect(time, a, b, { latencyMs: 50, loss }, seededRandom(3));
  return { time, atB, handshakes, wireA, wireB };
}

describe('simulated wire', () => {
  it('delivers the handshakes and every frame in order, one latency later, on a clean link', async () => {
    const { time, atB, handshakes, wireA } = link(0);
    for (let i = 0; i < 10; i++) time.at(i * 5, () => wireA.extended('ut_ttx', Uint8Array.of(i)));
    await time.run(1000);
    expect(handshakes.sort()).toEqual(['a', 'b']);
    expect(atB).toEqual(Array.from({ length: 10 }, (_, i) => ({ at: i * 5 + 50, byte: i })));
  });

  it('turns loss into retransmission delay: nothing lost, each loss one time-out', async () => {
    const { time, atB, wireA } = link(0.3);
    // One frame every 5 s, after the handshake, so no frame waits behind another (at 30% loss, eight
    // losses in a row, 0.007% of frames, would take longer).
    const sentAt = (i: number) => 5000 * (i + 1);
    for (let i = 0; i < 200; i++) time.at(sentAt(i), () => wireA.extended('ut_ttx', Uint8Array.of(i)));
    await time.run(sentAt(200));
    expect(atB.map((r) => r.byte)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const losses = atB.map((r, i) => (r.at - sentAt(i) - 50) / (2 * 50 + RTO_FLOOR_MS));
    expect(losses.filter((count) => !Number.isInteger(count) || count < 0)).toEqual([]);
    expect(losses.filter((count) => count === 0).length).toBeGreaterThan(100); // most got through at once
    expect(Math.max(...losses)).toBeGreaterThan(0);
  });

  it('keeps a lossy burst in order: frames behind a lost one wait for it', async () => {
    const { time, atB, wireA } = link(0.3);
    time.at(0, () => {
      for (let i = 0; i < 100; i++) wireA.extended('ut_ttx', Uint8Array.of(i));
    });
    await time.run(60_000);
    expect(atB.map((r) => r.byte)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (let i = 1; i < atB.length; i++) expect(atB[i]!.at).toBeGreaterThanOrEqual(atB[i - 1]!.at);
    expect(atB.at(-1)!.at).toBeGreaterThan(50); // some were lost, and the last waited
  });

  it('closes the other end one latency after destroy, and delivers nothing after', async () => {
    const { time, atB, wireA, wireB } = link(0);
    const closedAt: number[] = [];
    wireB.once('close', () => closedAt.push(time.now));
    time.at(10, () => wireA.extended('ut_ttx', Uint8Array.of(1)));
    time.at(20, () => wireA.destroy());
    await time.run(1000);
    expect(closedAt).toEqual([70]);
    expect(atB).toEqual([{ at: 60, byte: 1 }]);
    expect(() => wireA.extended('ut_ttx', Uint8Array.of(2))).toThrow();
  });
});

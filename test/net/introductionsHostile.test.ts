// Introduction frames from hostile peers (src/net/introductions/), over real webtorrent wires on loopback:
// an SDP over MAX_SDP_BYTES, a signal whose ttl is 0 or over MAX_TTL, signals past the receive bucket,
// PEERS frames past theirs, and a PEERS frame of too many ids are each a disconnect through the gossip's
// misbehaviour path; a peer that sends signals within the bucket (as an honest relay does) is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodePeers,
  encodeSignal,
  INTRO_HANDSHAKE_KEY,
  INTRO_HANDSHAKE_VERSION,
  MAX_SDP_BYTES,
  MAX_SHARED_PEERS,
  MAX_TTL,
  PEERS_FRAME,
  SIGNAL_FRAME,
  type Signal,
} from '../../src/net/introductions/introFrames.ts';
import { PEERS_RECEIVE_BURST, RECEIVE_BURST } from '../../src/net/introductions/signalRouter.ts';
import type { GossipWire } from '../../src/net/txGossip.ts';
import { EXTENSION_NAME, WIRE_VERSION } from '../../src/net/txWireProtocol.ts';
import { startNodePeer, troubleOf, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { joinAsRogue, leave } from '../support/roguePeer.ts';
import { pollFor } from '../support/pollFor.ts';
import { makeTestNetwork } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const network = makeTestNetwork();
let tracker: TestTracker;
let honest: NodePeer;

beforeAll(async () => {
  tracker = await startTestTracker();
  // It answers introductions but seeks none: it never sends a rogue an offer of its own.
  honest = await startNodePeer(network, tracker.wsUrl, { introductions: { target: 0, cap: 12 } });
}, 60_000);

afterAll(async () => {
  await honest?.close();
  await tracker?.close();
});

/** An offer from a made-up peer to another (neither is the honest node: it relays or drops it). */
function offer(overrides: Partial<Signal> = {}): Signal {
  return {
    kind: 'offer',
    ttl: MAX_TTL,
    signalId: '01'.repeat(8),
    from: 'aa'.repeat(20),
    to: 'bb'.repeat(20),
    sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n',
    ...overrides,
  };
}

/** A valid SIGNAL frame with its ttl byte set to `ttl` (encodeSignal refuses to write one out of range). */
function withTtl(ttl: number): Uint8Array {
  const frame = encodeSignal(offer());
  frame[2] = ttl;
  return frame;
}

/** A SIGNAL frame whose SDP is `bytes` long (one past the bound is the attack). */
function withSdpOf(bytes: number): Uint8Array {
  const valid = encodeSignal(offer());
  const header = valid.length - new TextEncoder().encode(offer().sdp).length;
  const frame = new Uint8Array(header + bytes).fill(0x78); // 'x'
  frame.set(valid.subarray(0, header));
  frame.set(new TextEncoder().encode('v=0\r\n'), header);
  return frame;
}

/**
 * Joins as a rogue that advertises `ttxIntro: 1`, sends `frames` once the node's extended handshake came,
 * and waits until `done` holds (given the frame types the node sent it so far, which it returns).
 */
async function rogue(
  frames: readonly Uint8Array[],
  done: (received: readonly number[]) => boolean,
): Promise<number[]> {
  const received: number[] = [];
  class Rogue {
    constructor(private readonly wire: GossipWire) {
      wire.extendedHandshake.ttx = WIRE_VERSION;
      wire.extendedHandshake[INTRO_HANDSHAKE_KEY] = INTRO_HANDSHAKE_VERSION;
    }
    onExtendedHandshake(): void {
      for (const frame of frames) this.wire.extended(EXTENSION_NAME, frame);
    }
    onMessage(payload: Uint8Array): void {
      received.push(payload[0]!);
    }
  }
  Object.defineProperty(Rogue.prototype, 'name', { value: EXTENSION_NAME });
  const client = joinAsRogue(network, tracker.wsUrl, Rogue);
  const trouble = troubleOf(client);
  try {
    // The router's counters announce nothing: polled.
    await pollFor('the rogue run to end', () => done(received), 30_000);
  } finally {
    await leave(client);
    await waitFor('the rogue wire to close', [honest], () => honest.node.status().swarmWires === 0);
  }
  expect(trouble, 'the rogue client').toEqual([]);
  return received;
}

/** Whether the node dropped a peer for `pattern` since this was called. */
const droppedFor = (pattern: RegExp) => {
  const before = honest.misbehaviour.length;
  return () => honest.misbehaviour.slice(before).some((problem) => pattern.test(problem));
};

describe('introduction frames from hostile peers', () => {
  it(`an SDP of MAX_SDP_BYTES + 1 (${MAX_SDP_BYTES + 1}) bytes is a disconnect`, async () => {
    await rogue([withSdpOf(MAX_SDP_BYTES + 1)], droppedFor(/an SDP of 4097 bytes/));
  }, 60_000);

  it(`a signal with ttl ${MAX_TTL + 1} (past MAX_TTL) is a disconnect`, async () => {
    await rogue([withTtl(MAX_TTL + 1)], droppedFor(new RegExp(`ttl ${MAX_TTL + 1} `)));
  }, 60_000);

  it('a signal with ttl 0 (it should have been dropped by the relay before) is a disconnect', async () => {
    await rogue([withTtl(0)], droppedFor(/ttl 0 /));
  }, 60_000);

  it(`past RECEIVE_BURST (${RECEIVE_BURST}) signals at once it is a disconnect`, async () => {
    const flood = Array.from({ length: RECEIVE_BURST + 1 }, (_, i) =>
      encodeSignal(offer({ signalId: i.toString(16).padStart(16, '0') })),
    );
    await rogue(flood, droppedFor(/signals too fast/));
  }, 60_000);

  it(`past PEERS_RECEIVE_BURST (${PEERS_RECEIVE_BURST}) PEERS frames at once it is a disconnect`, async () => {
    const flood = Array.from({ length: PEERS_RECEIVE_BURST + 1 }, () => encodePeers(['cc'.repeat(20)]));
    await rogue(flood, droppedFor(/shared peers too often/));
  }, 60_000);

  it(`a PEERS frame of MAX_SHARED_PEERS + 1 (${MAX_SHARED_PEERS + 1}) ids is a disconnect`, async () => {
    const ids = Array.from({ length: MAX_SHARED_PEERS + 1 }, (_, i) => i.toString(16).padStart(40, '0'));
    const frame = new Uint8Array(1 + 20 * ids.length);
    frame[0] = PEERS_FRAME;
    ids.forEach((id, i) => frame.set(Buffer.from(id, 'hex'), 1 + 20 * i));
    await rogue([frame], droppedFor(/at most 8 ids/));
  }, 60_000);

  it(`RECEIVE_BURST signals (${RECEIVE_BURST}, the most an honest relay sends at once) and PEERS frames within their bucket are kept`, async () => {
    const before = honest.misbehaviour.length;
    const signals = Array.from({ length: RECEIVE_BURST }, (_, i) =>
      encodeSignal(offer({ signalId: (i + 100).toString(16).padStart(16, '0') })),
    );
    const shared = Array.from({ length: PEERS_RECEIVE_BURST }, () => encodePeers(['dd'.repeat(20)]));
    const dropped = () => honest.node.gossip.introductions.counts.dropped;
    const droppedBefore = dropped();
    // The node has no route to 'bb…': each signal is read and dropped (counted), none is a violation.
    const frames = await rogue(
      [...signals, ...shared],
      (received) => dropped() >= droppedBefore + RECEIVE_BURST && received.includes(PEERS_FRAME),
    );
    expect(honest.misbehaviour.slice(before)).toEqual([]);
    // It was told whom the node knows (an empty PEERS frame: it has no other peer), as every reader is.
    expect(frames).toContain(PEERS_FRAME);
    expect(frames).not.toContain(SIGNAL_FRAME);
  }, 60_000);
});

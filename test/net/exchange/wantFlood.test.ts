// A peer that asks (WANT) faster than it reads its answers (issue 16 item 10): each WANT of 500 ids
// costs it 10 KiB and the victim ~150 KiB of answers, so without back-pressure the victim's queue for it
// grows as fast as it asks. Over real webtorrent wires on loopback: the rogue asks for the genesis
// transaction 500 times a frame, as fast as its wire takes it. Asserted: what the victim queues for it
// stays under SERVE_PAUSE_BYTES plus one chunk of answers, and it is disconnected for asking past
// MAX_SERVE_QUEUE. The peak queued and the time to disconnect are printed (loaded machine: noisy).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TX_BYTES } from '../../../src/core/tx.ts';
import { queuedBytes, SERVE_PAUSE_BYTES } from '../../../src/net/exchange/serveBackpressure.ts';
import { SERVE_CHUNK, type GossipWire } from '../../../src/net/txGossip.ts';
import { SyncInventory } from '../../../src/net/sync/syncInventory.ts';
import {
  decodeFrame,
  encodeSyncReply,
  encodeWant,
  EXTENSION_NAME,
  MAX_IDS_PER_FRAME,
  WIRE_VERSION,
} from '../../../src/net/txWireProtocol.ts';
import { nodeWebTorrent, startNodePeer, type NodePeer } from '../../support/nodePeer.ts';
import { joinAsRogue, leave } from '../../support/roguePeer.ts';
import { makeTestNetwork } from '../../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../../support/tracker.ts';

const network = makeTestNetwork();
/** Serving's bound (serveBackpressure.ts rule 2): the pause threshold and one chunk of TX answers. */
const QUEUED_BOUND = SERVE_PAUSE_BYTES + SERVE_CHUNK * (MAX_TX_BYTES + 21);
let tracker: TestTracker;
let victim: NodePeer;
const victimClient = nodeWebTorrent();

beforeAll(async () => {
  tracker = await startTestTracker();
  victim = await startNodePeer(network, tracker.wsUrl, { client: victimClient });
}, 60_000);

afterAll(async () => {
  await victim?.close();
  await tracker?.close();
});

describe('a peer that asks and does not read', () => {
  it('keeps what the victim queues for it under the bound, and is disconnected', async () => {
    const dropped = victim.nextMisbehaviour();
    const empty = SyncInventory.from({ ids: [], times: [] });
    const want = encodeWant(new Array<string>(MAX_IDS_PER_FRAME).fill(network.genesis.id));
    let startedAt = 0;
    let frames = 0;
    class Rogue {
      private closed = false;
      constructor(private readonly wire: GossipWire) {
        wire.extendedHandshake.ttx = WIRE_VERSION;
        wire.once('close', () => (this.closed = true));
      }
      onExtendedHandshake(): void {
        startedAt = performance.now();
        void (async () => {
          while (!this.closed) {
            this.wire.extended(EXTENSION_NAME, want);
            if (++frames % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
          }
        })();
      }
      onMessage(payload: Uint8Array): void {
        // Its answers are thrown away unread; it answers SYNC (0x04) as an empty node would, so that
        // only its asking can get it dropped.
        const frame = payload[0] === 0x04 ? decodeFrame(payload) : undefined;
        if (frame?.type === 'sync')
          this.wire.extended(EXTENSION_NAME, encodeSyncReply(empty.answer(frame.message)));
      }
    }
    Object.defineProperty(Rogue.prototype, 'name', { value: EXTENSION_NAME });
    // Every push onto the victim's wire to the rogue is measured, not sampled: the exact peak.
    let peak = 0;
    const swarm = (await victimClient.get(network.genesis.id)) as unknown as {
      on(event: 'wire', listener: (wire: { peerId?: string; push(data: Uint8Array): boolean }) => void): void;
    };
    swarm.on('wire', (wire) => {
      const push = wire.push.bind(wire);
      wire.push = (data) => {
        const taken = push(data);
        if (wire.peerId === rogue.peerId) peak = Math.max(peak, queuedBytes(wire));
        return taken;
      };
    });
    const rogue = joinAsRogue(network, tracker.wsUrl, Rogue);
    try {
      const problem = await dropped;
      const ms = performance.now() - startedAt;
      console.log(
        `WANT flood: dropped for "${problem}" ${ms.toFixed(0)} ms after it began (${frames} WANT frames); ` +
          `victim queued at most ${(peak / 1024).toFixed(0)} KiB for it (bound ${(QUEUED_BOUND / 1024).toFixed(0)} KiB)`,
      );
      expect(problem).toMatch(/asked for more than/);
      expect(peak).toBeLessThanOrEqual(QUEUED_BOUND);
    } finally {
      await leave(rogue);
    }
  }, 60_000);
});

// The huge-length-prefix attack over a real webtorrent wire on loopback, against a NetworkNode (whose
// wires carry the length guard): a plain webtorrent client in the network swarm first sends legal
// messages as long as the bound allows, and stays connected; then it announces a 2^31 − 1 byte message
// and streams data, and the node drops it at once without buffering the payload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Wire from 'bittorrent-protocol';
import { MAX_WIRE_MESSAGE_BYTES } from '../../../src/net/exchange/guardWireLength.ts';
import type { GossipWire } from '../../../src/net/txGossip.ts';
import { Reconciler } from '../../../src/net/sync/reconciler.ts';
import { SyncSet } from '../../../src/net/sync/syncSet.ts';
import {
  encodeSync,
  encodeSyncReply,
  EXTENSION_NAME,
  MAX_SYNC_BYTES,
  WIRE_VERSION,
} from '../../../src/net/txWireProtocol.ts';
import { startNodePeer, waitFor, type NodePeer } from '../../support/nodePeer.ts';
import { announceHugeMessage } from '../../support/hugeMessageAttack.ts';
import { joinAsRogue, leave } from '../../support/roguePeer.ts';
import { makeTestNetwork } from '../../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../../support/tracker.ts';

const network = makeTestNetwork();
let tracker: TestTracker;
let victim: NodePeer;

beforeAll(async () => {
  tracker = await startTestTracker();
  victim = await startNodePeer(network, tracker.wsUrl);
}, 30000);

afterAll(async () => {
  await victim?.close();
  await tracker?.close();
});

/** Bytes held by this process: JS heap plus ArrayBuffers (where a Wire's buffered payload lives). */
function memory(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** One side of a reconciliation over an empty set, as a node holding nothing. */
function emptySide(): Reconciler {
  return new Reconciler(SyncSet.empty(), { frameSizeLimit: MAX_SYNC_BYTES });
}

describe('a peer announcing a huge wire message', () => {
  it('is never dropped for legal maximal messages, then is dropped within 1 s of a 2^31 − 1 prefix', async () => {
    // The wire the node answered on: the attack goes there. (Under load the rogue can end up with a
    // second connection to the node, still in its handshake; a wire picked by "the latest" could be that
    // one, which the node then closes as not speaking BitTorrent, with nothing reported.)
    let answered = (_wire: Wire) => {};
    const haveAnswered = new Promise<Wire>((resolve) => (answered = resolve));
    class Rogue {
      private readonly wire: Wire;
      constructor(wire: GossipWire) {
        wire.extendedHandshake.ttx = WIRE_VERSION;
        this.wire = wire as unknown as Wire;
      }
      onExtendedHandshake(): void {
        // Legal and as long as allowed: an extended message for an extension the node does not speak,
        // of exactly MAX_WIRE_MESSAGE_BYTES, then a reconciliation SYNC (the node answers it with a
        // SYNC_REPLY, so a reply means both were parsed). The rogue holds nothing and offers nothing,
        // so nothing is asked of it that could time out before the attack below.
        const body = new Uint8Array(4 + MAX_WIRE_MESSAGE_BYTES);
        new DataView(body.buffer).setUint32(0, MAX_WIRE_MESSAGE_BYTES);
        body[4] = 20;
        body[5] = 200;
        this.wire._push(body);
        this.wire.extended(EXTENSION_NAME, encodeSync(emptySide().initiate()));
      }
      onMessage(payload: Uint8Array): void {
        if (payload[0] === 0x05) answered(this.wire);
        // The node reconciles with the rogue too: answer as an honest empty node would.
        if (payload[0] === 0x04) {
          this.wire.extended(EXTENSION_NAME, encodeSyncReply(emptySide().respond(payload.subarray(1))));
        }
      }
    }
    Object.defineProperty(Rogue.prototype, 'name', { value: EXTENSION_NAME });
    const client = joinAsRogue(network, tracker.wsUrl, Rogue);
    try {
      // The rogue's extension saw the node's SYNC_REPLY; if it never does, fail with what both sides had.
      let stuck: ReturnType<typeof setTimeout> | undefined;
      const rogueWire = await Promise.race([
        haveAnswered,
        new Promise<never>((_, reject) => {
          stuck = setTimeout(() => {
            const torrents = (client as unknown as { torrents: { numPeers: number }[] }).torrents;
            const state = { victim: victim.node.status(), rogueWires: torrents.map((t) => t.numPeers) };
            reject(new Error(`no SYNC_REPLY reached the rogue in 45 s: ${JSON.stringify(state)}`));
          }, 45_000);
        }),
      ]).finally(() => clearTimeout(stuck));
      expect(victim.misbehaviour).toEqual([]);
      const wiresBefore = victim.node.status().swarmWires;
      expect(wiresBefore).toBeGreaterThanOrEqual(1);

      const problemsBefore = victim.misbehaviour.length;
      const memoryBefore = memory();
      let memoryPeak = memoryBefore;
      const { msToClose, sentBytes } = await announceHugeMessage(rogueWire, 100 * 2 ** 20, () => {
        memoryPeak = Math.max(memoryPeak, memory());
      });
      await waitFor(
        'the node to report the rogue',
        [victim],
        () => victim.misbehaviour.length > problemsBefore,
      );
      await waitFor(
        'the node to close the wire',
        [victim],
        () => victim.node.status().swarmWires < wiresBefore,
      );
      const growth = memoryPeak - memoryBefore;
      console.log(
        `huge prefix: rogue's wire closed ${msToClose.toFixed(0)} ms after the prefix, after ` +
          `${sentBytes / 2 ** 20} MiB of payload; process memory grew ${(growth / 2 ** 20).toFixed(1)} MiB at most`,
      );
      expect(victim.misbehaviour.at(-1)).toBe(
        `announced a wire message of ${2 ** 31 - 1} bytes (at most ${MAX_WIRE_MESSAGE_BYTES})`,
      );
      expect(msToClose).toBeLessThan(1000);
      expect(growth).toBeLessThan(8 * 2 ** 20);
    } finally {
      await leave(client);
    }
  }, 60000);
});

// Conflict evidence from hostile peers (src/net/evidence/conflictRelay.ts), over real webtorrent wires: a
// flood of evidence, evidence whose bytes do not hash to its ids, forged evidence, and a CONFLICT frame
// from a peer that never said it speaks it are each a disconnect; valid evidence is decided first-seen
// and recorded once; a peer that does not read CONFLICT frames is never sent one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConflict } from '../../src/net/evidence/conflictFrame.ts';
import { RECEIVE_BURST } from '../../src/net/evidence/conflictRelay.ts';
import type { GossipWire } from '../../src/net/txGossip.ts';
import { EXTENSION_NAME, WIRE_VERSION } from '../../src/net/txWireProtocol.ts';
import { startNodePeer, troubleOf, waitFor, type NodePeer } from '../support/nodePeer.ts';
import { joinAsRogue, leave } from '../support/roguePeer.ts';
import { makeTestNetwork, pay, personNamed } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const network = makeTestNetwork(1_000_000);
const toAlice = pay(network.owner, personNamed('alice'), 600_000, network.genesis.id);
const toBob = pay(
  network.owner,
  personNamed('bob'),
  600_000,
  network.genesis.id,
  network.genesis.tx.time + 2000,
);
const evidence = encodeConflict([toAlice, toBob]);
let tracker: TestTracker;
let honest: NodePeer;

beforeAll(async () => {
  tracker = await startTestTracker();
  honest = await startNodePeer(network, tracker.wsUrl);
}, 60_000);

afterAll(async () => {
  await honest?.close();
  await tracker?.close();
});

interface RogueRun {
  /** Frame types the honest node sent the rogue, in order. */
  readonly received: number[];
}

/**
 * Joins as a rogue (advertising `ttxConflict: 1` when `reads`) that sends `frames` once the handshake is
 * done, and waits until `done` says so (checked on every frame it receives and every event of the honest
 * node).
 */
async function rogue(
  reads: boolean,
  frames: readonly Uint8Array[],
  done: (run: RogueRun) => boolean | Promise<boolean>,
): Promise<RogueRun> {
  const run = { received: [] as number[] };
  let wake = () => {};
  class Rogue {
    constructor(private readonly wire: GossipWire) {
      wire.extendedHandshake.ttx = WIRE_VERSION;
      if (reads) wire.extendedHandshake.ttxConflict = 1;
    }
    onExtendedHandshake(): void {
      for (const frame of frames) this.wire.extended(EXTENSION_NAME, frame);
    }
    onMessage(payload: Uint8Array): void {
      run.received.push(payload[0]!);
      wake();
    }
  }
  Object.defineProperty(Rogue.prototype, 'name', { value: EXTENSION_NAME });
  const client = joinAsRogue(network, tracker.wsUrl, Rogue);
  const trouble = troubleOf(client);
  try {
    await new Promise<void>((resolve, reject) => {
      wake = () => void Promise.resolve(done(run)).then((ok) => ok && resolve(), reject);
      void waitFor('the rogue run to end', [honest], () => done(run)).then(resolve, reject);
    });
  } finally {
    await leave(client);
    await waitFor('the rogue wire to close', [honest], () => honest.node.status().swarmWires === 0);
  }
  expect(trouble, 'the rogue client').toEqual([]);
  return run;
}

const droppedFor = (pattern: RegExp) => () => pattern.test(honest.misbehaviour.at(-1) ?? '');

describe('conflict evidence from hostile peers', () => {
  it('a CONFLICT frame from a peer that did not say it sends them is a disconnect', async () => {
    await rogue(false, [evidence], droppedFor(/did not say/));
    expect(await honest.store.getTx(toAlice.id)).toBeUndefined();
  }, 60_000);

  it('evidence whose bytes do not hash to its ids is a disconnect; nothing is stored', async () => {
    const lying = encodeConflict([toAlice, { id: 'ab'.repeat(20), bytes: toBob.bytes }]);
    await rogue(true, [lying], droppedFor(/do not hash/));
    expect(honest.store.all().length).toBe(1); // the genesis only
  }, 60_000);

  it('forged evidence (a spend the owner did not sign) is a disconnect, stored only as invalid', async () => {
    const forged = pay(personNamed('mallory'), personNamed('x'), 5, network.genesis.id);
    await rogue(true, [encodeConflict([toAlice, forged])], droppedFor(/wrong-owner/));
    expect((await honest.store.getTx(forged.id))?.status).toBe('invalid');
  }, 60_000);

  it(`past RECEIVE_BURST (${RECEIVE_BURST}) frames at once it is a disconnect; the first is decided first-seen and recorded once`, async () => {
    const flood = Array.from({ length: RECEIVE_BURST + 1 }, () => evidence);
    await rogue(true, flood, droppedFor(/evidence too fast/));
    await waitFor(
      'the evidence to be decided',
      [honest],
      async () => (await honest.store.getTx(toBob.id)) !== undefined,
    );
    expect((await honest.store.getTx(toBob.id))?.status).toBe('conflict');
    expect(honest.node.gossip.conflicts.records.has(network.genesis.id)).toBe(true);
    expect(honest.node.gossip.conflicts.records.size).toBe(1);
  }, 60_000);

  it('a peer that reads CONFLICT frames is told of the recorded double spend on connecting, one that does not never is', async () => {
    // On connecting the node sends recorded evidence before it starts reconciling (SYNC, 0x04).
    const reader = await rogue(true, [], (run) => run.received.includes(0x04));
    expect(reader.received.indexOf(0x07)).toBeGreaterThanOrEqual(0);
    expect(reader.received.indexOf(0x07)).toBeLessThan(reader.received.indexOf(0x04));
    const old = await rogue(false, [], (run) => run.received.includes(0x04));
    expect(old.received).not.toContain(0x07);
  }, 60_000);
});

// Conflict evidence from hostile peers (src/net/evidence/conflictRelay.ts), over real webtorrent wires: a
// flood of evidence, evidence whose bytes do not hash to its ids, forged evidence, evidence that is not a
// double spend (payments of other outputs, by other keys), and a CONFLICT frame from a peer that never
// said it speaks it are each a disconnect; valid evidence is decided first-seen and recorded once; a peer
// that does not read CONFLICT frames is never sent one; a repeated extended handshake neither refills a
// peer's evidence bucket nor makes the node send its evidence again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWithId } from '../../src/core/makeTx.ts';
import { CONFLICT_FRAME, encodeConflict } from '../../src/net/evidence/conflictFrame.ts';
import { RECEIVE_BURST } from '../../src/net/evidence/conflictRelay.ts';
import { Reconciler } from '../../src/net/sync/reconciler.ts';
import { SyncSet } from '../../src/net/sync/syncSet.ts';
import type { GossipWire } from '../../src/net/txGossip.ts';
import { encodeSync, EXTENSION_NAME, WIRE_VERSION } from '../../src/net/txWireProtocol.ts';
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

/** What a scripted rogue can do once the node's extended handshake came. */
interface RogueWire {
  send(frame: Uint8Array): void;
  /** Sends its extended handshake again (BEP 10 allows it; the node must change nothing for it). */
  handshakeAgain(): void;
}

/**
 * Joins as a rogue (advertising `ttxConflict: 1` when `reads`) that sends `frames` once the handshake is
 * done (or runs them as a script, again on every frame it receives), and waits until `done` says so
 * (checked on every frame it receives and every event of the honest node).
 */
async function rogue(
  reads: boolean,
  frames: readonly Uint8Array[] | ((wire: RogueWire, run: RogueRun) => void),
  done: (run: RogueRun) => boolean | Promise<boolean>,
): Promise<RogueRun> {
  const run = { received: [] as number[] };
  let wake = () => {};
  class Rogue {
    private readonly rogueWire: RogueWire;
    constructor(private readonly wire: GossipWire) {
      wire.extendedHandshake.ttx = WIRE_VERSION;
      if (reads) wire.extendedHandshake.ttxConflict = 1;
      this.rogueWire = {
        send: (frame) => wire.extended(EXTENSION_NAME, frame),
        handshakeAgain: () =>
          (wire as unknown as { _sendExtendedHandshake(): void })._sendExtendedHandshake(),
      };
    }
    onExtendedHandshake(): void {
      if (typeof frames === 'function') frames(this.rogueWire, run);
      else for (const frame of frames) this.wire.extended(EXTENSION_NAME, frame);
    }
    onMessage(payload: Uint8Array): void {
      run.received.push(payload[0]!);
      if (typeof frames === 'function') frames(this.rogueWire, run);
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

/** Whether the node dropped a peer for `pattern` since this was called (not for an earlier test's). */
const droppedFor = (pattern: RegExp) => {
  const before = honest.misbehaviour.length;
  return () => honest.misbehaviour.slice(before).some((problem) => pattern.test(problem));
};

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

  it('forged evidence (a spend signed by another key than the owner) is a disconnect before the queue; nothing is stored', async () => {
    const forged = pay(personNamed('mallory'), personNamed('x'), 5, network.genesis.id);
    await rogue(true, [encodeConflict([toAlice, forged])], droppedFor(/signed by two keys/));
    expect(await honest.store.getTx(forged.id)).toBeUndefined();
    expect(await honest.store.getTx(toAlice.id)).toBeUndefined();
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
  it('a repeated extended handshake does not make the node send its evidence again', async () => {
    // The node has a double spend recorded (the test above). The rogue waits for the node's SYNC (sent
    // after the evidence on connecting), shakes hands again, then asks a SYNC of its own: every frame the
    // node sends for the second handshake comes before that SYNC's reply (0x05).
    let after: number | undefined;
    const run = await rogue(
      true,
      (wire, seen) => {
        if (after !== undefined || !seen.received.includes(0x04)) return;
        after = seen.received.length;
        wire.handshakeAgain();
        wire.send(encodeSync(new Reconciler(SyncSet.fromItems([])).initiate()));
      },
      (seen) => after !== undefined && seen.received.slice(after).includes(0x05),
    );
    expect(run.received.slice(0, after)).toContain(CONFLICT_FRAME); // told once, on connecting
    const again = run.received.slice(after).filter((type) => type === CONFLICT_FRAME).length;
    console.log(`evidence frames sent again after a repeated handshake: ${again}`);
    expect(again).toBe(0);
  }, 60_000);

  it('a repeated extended handshake does not refill the evidence bucket', async () => {
    // RECEIVE_BURST − 1 frames, a second handshake, then 16 more at once: 16 past the burst, which the
    // bucket (RECEIVE_PER_SECOND) could only refill in 2 s. A peer whose bucket was refilled by the second
    // handshake gets its SYNC answered (0x05) instead of being dropped.
    let sent = false;
    const dropped = droppedFor(/evidence too fast/);
    await rogue(
      true,
      (wire) => {
        if (sent) return;
        sent = true;
        for (let i = 0; i < RECEIVE_BURST - 1; i++) wire.send(evidence);
        wire.handshakeAgain();
        for (let i = 0; i < 16; i++) wire.send(evidence);
        wire.send(encodeSync(new Reconciler(SyncSet.fromItems([])).initiate()));
      },
      (seen) => dropped() || seen.received.includes(0x05),
    );
    expect(dropped()).toBe(true);
  }, 60_000);

  it('CONFLICT frames of unrelated valid payments are a disconnect at the first frame; none is accepted', async () => {
    // Each frame holds a payment and a payment of what it paid (two outputs, two keys): both valid,
    // neither a double spend. Before the check, every one of them was queued ahead of everything.
    const frames = ['carol', 'dave', 'erin', 'frank'].map((name, i) => {
      const who = personNamed(name);
      const first = pay(network.owner, who, 1000, network.genesis.id, network.genesis.tx.time + 10_000 + i);
      return [first, pay(who, personNamed(`${name}-shop`), 10, first.id, first.tx.time + 1)];
    });
    const before = honest.misbehaviour.length;
    await rogue(
      true,
      frames.map((txs) => encodeConflict(txs)),
      async () =>
        honest.misbehaviour.length > before ||
        (await honest.store.getTx(frames.at(-1)![1]!.id))?.status === 'accepted',
    );
    expect(honest.misbehaviour.slice(before)).toEqual([
      expect.stringMatching(/not a double spend: evidence spends/),
    ]);
    for (const tx of frames.flat()) expect(await honest.store.getTx(tx.id)).toBeUndefined();
  }, 60_000);

  it('CONFLICT frames of spends of one output that do not exceed it are a disconnect at the first frame', async () => {
    // The shape of a double spend (one output, one key) but 10 tokens each of 1,000,000: the ledger
    // accepts both spends, so the frame was no evidence. Before, a rogue sent such frames for good.
    const spends = [0, 1, 2].map((k) =>
      [0, 1].map((i) =>
        pay(
          network.owner,
          personNamed(`sibling${k}${i}`),
          10,
          network.genesis.id,
          network.genesis.tx.time + 30_000 + 2 * k + i,
        ),
      ),
    );
    const dropped = droppedFor(/spends of one output that do not conflict/);
    let sent = false;
    await rogue(
      true,
      (wire) => {
        if (sent) return;
        sent = true;
        // The first frame, then the others once the ledger has had the time to decide it.
        wire.send(encodeConflict(spends[0]!));
        setTimeout(() => spends.slice(1).forEach((pair) => wire.send(encodeConflict(pair))), 1000);
      },
      dropped,
    );
    const statuses = await Promise.all(
      spends.flat().map(async (tx) => (await honest.store.getTx(tx.id))?.status),
    );
    expect(statuses).toEqual(['accepted', 'accepted', undefined, undefined, undefined, undefined]);
  }, 60_000);

  it('evidence of one owner with a bad signature is a disconnect by the ledger; the forgery is stored only as invalid', async () => {
    const good = pay(
      network.owner,
      personNamed('gina'),
      5,
      network.genesis.id,
      network.genesis.tx.time + 20_000,
    );
    const signed = pay(
      network.owner,
      personNamed('hal'),
      5,
      network.genesis.id,
      network.genesis.tx.time + 20_001,
    );
    const flipped = (signed.tx.signature[0] === '0' ? '1' : '0') + signed.tx.signature.slice(1);
    const forged = encodeWithId({ ...signed.tx, signature: flipped });
    await rogue(true, [encodeConflict([good, forged])], droppedFor(/bad-signature/));
    expect((await honest.store.getTx(forged.id))?.status).toBe('invalid');
  }, 60_000);
});

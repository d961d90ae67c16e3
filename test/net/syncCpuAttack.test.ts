// Issue 16 item 2: SYNC within its frame bucket was a CPU denial of service. A rogue over real webtorrent
// wires on loopback sends the dearest valid SYNC it can build against a victim holding a large set, each
// as soon as the last was answered (as an honest initiator does) and at most as fast as the HAVE/SYNC
// bucket allows (UNASKED_PER_SECOND): the time the victim spends answering stays within the node's share
// of reconciliation work (nodeSyncShare.ts, 15% of a core after its burst), and if the rogue outspends
// its own budget it is disconnected. A rogue that sends SYNCs without waiting for the answers is
// disconnected at once. An honest fresh node that reconciles the whole large set with the victim, as fast
// as the wire goes, is never dropped.
//
// The large set: reconciliation only reads the ids and times of the accepted inventory, so the victim's
// store adds PADDING made-up ids to its inventory (no transactions behind them). The fresh node's store
// knows those ids as rejected records, so it learns them from the reconciliation without fetching them
// (nothing it could fetch): its session runs without the back-pressure of SYNC_PAUSE_AT, the dearest
// pace for the victim.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TxRecord } from '../../src/core/txRecord.ts';
import type { Inventory } from '../../src/net/gossipLedger.ts';
import { Reconciler } from '../../src/net/sync/reconciler.ts';
import { SyncInventory } from '../../src/net/sync/syncInventory.ts';
import { SyncSet } from '../../src/net/sync/syncSet.ts';
import { NODE_SYNC_BURST, NODE_SYNC_UNITS_PER_SECOND } from '../../src/net/sync/nodeSyncShare.ts';
import { UNASKED_PER_SECOND, type GossipWire } from '../../src/net/txGossip.ts';
import { encodeSync, encodeSyncReply, EXTENSION_NAME, WIRE_VERSION } from '../../src/net/txWireProtocol.ts';
import { MemoryLedgerStore } from '../../src/storage/memoryLedgerStore.ts';
import { COSTLY_SHAPES, costlySync } from '../support/costlySync.ts';
import { startNodePeer, type NodePeer } from '../support/nodePeer.ts';
import { pollFor } from '../support/pollFor.ts';
import { joinAsRogue, leave } from '../support/roguePeer.ts';
import { GENESIS_TIME, makeTestNetwork } from '../support/testNetwork.ts';
import { startTestTracker, type TestTracker } from '../support/tracker.ts';

const PADDING = 200_000;
/** The attack's run: the victim's time on the rogue's SYNCs is measured over this window. */
const RUN_MS = 15_000;
/**
 * The bounds asserted: the node's share by the victim's own count of the work (syncWork.ts: nominal ns,
 * calibrated to overstate the time a message takes here), and a quarter of a core by the clock (the
 * time inside SyncInventory.answer; on a machine shared by other jobs the clock runs on while the
 * process waits for a core, so that figure is high by the load; issue 16 asks ≤ 25% of rogues together).
 */
const MAX_SHARE = (NODE_SYNC_BURST + (NODE_SYNC_UNITS_PER_SECOND * RUN_MS) / 1000) / 1e6 / RUN_MS;
const MAX_MEASURED_SHARE = 0.25;
/** A rogue that does not wait for answers is dropped within this of its first SYNC. */
const PIPELINED_DROPPED_WITHIN_MS = 2000;
/** SYNC frames the rogue sends a second: just under the bucket, so the bucket never drops it. */
const ROGUE_RATE = UNASKED_PER_SECOND - 10;

const network = makeTestNetwork(1_000_000);
const paddingIds = Array.from({ length: PADDING }, () => randomBytes(20).toString('hex'));
const paddingTimes = paddingIds.map(() => GENESIS_TIME + 1 + Math.floor(Math.random() * 30 * 86_400_000));
const paddingSet = new Set(paddingIds);

/** The victim's store: its accepted inventory holds the padding too. */
class PaddedStore extends MemoryLedgerStore {
  override async acceptedInventory(): Promise<Inventory> {
    const real = await super.acceptedInventory();
    return { ids: [...real.ids, ...paddingIds], times: [...real.times, ...paddingTimes] };
  }
}

/** The fresh node's store: it has rejected records under the padding ids (so it never fetches them). */
class KnowsPaddingStore extends MemoryLedgerStore {
  override async getTx(id: string): Promise<TxRecord | undefined> {
    return (await super.getTx(id)) ?? (paddingSet.has(id) ? rejected(id) : undefined);
  }
  override async getTxs(ids: readonly string[]): Promise<(TxRecord | undefined)[]> {
    return Promise.all(ids.map((id) => this.getTx(id)));
  }
}

function rejected(id: string): TxRecord {
  return { id, arrival: 0, bytes: null, sha256: '', tx: null, prev: null, to: null, status: 'invalid' };
}

/**
 * What the victim spent in SyncInventory.answer (only the victim answers SYNCs here): calls, work units
 * it counted, ms by the clock and ms of process CPU (every thread of this process: the rogue's and the
 * tracker's too).
 */
const answering = { calls: 0, units: 0, ms: 0, cpuMs: 0 };
function resetAnswering(): void {
  Object.assign(answering, { calls: 0, units: 0, ms: 0, cpuMs: 0 });
}
const originalAnswer = SyncInventory.prototype.answer;
SyncInventory.prototype.answer = function (this: SyncInventory, message: Uint8Array) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    const answer = originalAnswer.call(this, message);
    answering.units += answer.units;
    return answer;
  } finally {
    const cpu = process.cpuUsage(cpu0);
    answering.ms += performance.now() - t0;
    answering.cpuMs += (cpu.user + cpu.system) / 1000;
    answering.calls++;
  }
};

let tracker: TestTracker;
let victim: NodePeer;
const started: NodePeer[] = [];

beforeAll(async () => {
  tracker = await startTestTracker();
  victim = await startNodePeer(network, tracker.wsUrl, { store: new PaddedStore() });
}, 60_000);

afterAll(async () => {
  SyncInventory.prototype.answer = originalAnswer;
  for (const peer of started) await peer.close();
  await victim?.close();
  await tracker?.close();
});

/** What one rogue's attack came to. */
interface AttackRun {
  sent: number;
  /** The victim's reason for dropping it, and when (ms after its first SYNC). */
  problem: string | undefined;
  droppedAfter: number;
  /** Counted work and clock time answering it, each as a share of a core over the run. */
  counted: number;
  measured: number;
}

/**
 * `rogues` rogues for `runMs`, each coming back with a fresh peer id (a new client, fresh budgets)
 * whenever the victim drops it: `paced` sends each SYNC once the last was answered (at most ROGUE_RATE a
 * second), else it sends ROGUE_RATE a second without waiting. Each is the dearest SYNC it can build:
 * it knows the victim's set (every id is public once relayed) and fingerprints it exactly, so each
 * range costs the victim a binary search and a SHA-256 and it answers nothing.
 */
async function attack(mode: 'paced' | 'pipelined', runMs: number, rogues = 1): Promise<AttackRun> {
  const inventory = await victim.store.acceptedInventory();
  const set = SyncSet.fromItems(inventory.ids.map((id, i) => ({ id, time: inventory.times[i]! })));
  const probe = costlySync(set, COSTLY_SHAPES.fingerprints);
  const messages = Array.from({ length: 64 }, (_, k) =>
    encodeSync(costlySync(set, { ...COSTLY_SHAPES.fingerprints, from: 1 + k * 1000 })),
  );
  const dropsBefore = victim.misbehaviour.length;
  let startedAt = 0;
  let began = 0;
  let sent = 0;
  const timers: ReturnType<typeof setInterval>[] = [];
  let endRun = (): void => {};
  const runEnded = new Promise<void>((resolve) => (endRun = resolve));
  /** A rogue's class for one connection: `onDropped` is called when the victim closes its wire. */
  const rogueClass = (onDropped: () => void) =>
    class Rogue {
      private closed = false;
      private began = false;
      private lastSentAt = 0;
      constructor(private readonly wire: GossipWire) {
        wire.extendedHandshake.ttx = WIRE_VERSION;
        wire.once('close', () => {
          this.closed = true;
          if (this.began) onDropped();
        });
      }
      private sendOne(): void {
        if (this.closed || performance.now() - startedAt > runMs) return;
        this.lastSentAt = performance.now();
        this.wire.extended(EXTENSION_NAME, messages[sent++ % messages.length]!);
      }
      onExtendedHandshake(): void {
        // Only at the victim, once (a second wire of the same rogue is refused once it is banned).
        if (this.wire.peerId !== victim.peerId || this.began) return;
        this.began = true;
        began++;
        if (startedAt === 0) {
          startedAt = performance.now();
          resetAnswering();
        }
        if (mode === 'paced') return this.sendOne();
        // ROGUE_RATE frames a second, in ticks of 50 ms.
        timers.push(
          setInterval(() => {
            for (let i = 0; i < ROGUE_RATE / 20; i++) this.sendOne();
          }, 50),
        );
      }
      onMessage(payload: Uint8Array): void {
        if (this.closed || !this.began) return;
        if (payload[0] === 0x05 && mode === 'paced') {
          const wait = this.lastSentAt + 1000 / ROGUE_RATE - performance.now();
          timers.push(setTimeout(() => this.sendOne(), Math.max(0, wait)));
        }
        // It answers the victim's own reconciliation (as a node holding nothing), so that it is not
        // dropped for leaving a SYNC unanswered.
        if (payload[0] === 0x04) {
          const reply = new Reconciler(SyncSet.empty()).respond(payload.subarray(1));
          this.wire.extended(EXTENSION_NAME, encodeSyncReply(reply));
        }
      }
    };
  /** One rogue: when it is dropped, it leaves and comes back as a new client with a fresh peer id. */
  const slot = async (): Promise<void> => {
    for (let ended = false; !ended;) {
      let dropped = (): void => {};
      const gone = new Promise<void>((resolve) => (dropped = resolve));
      const Rogue = rogueClass(dropped);
      Object.defineProperty(Rogue.prototype, 'name', { value: EXTENSION_NAME });
      const client = joinAsRogue(network, tracker.wsUrl, Rogue);
      ended = await Promise.race([gone.then(() => false), runEnded.then(() => true)]);
      await leave(client);
      ended ||= performance.now() >= startedAt + runMs;
      if (!ended) connections++;
    }
  };
  let connections = rogues;
  const slots = Array.from({ length: rogues }, slot);
  try {
    await pollFor('the rogues to begin', () => began >= rogues, 60_000);
    let problem: string | undefined;
    let droppedAfter = NaN;
    await pollFor(
      'the run to end',
      () => {
        problem ??= victim.misbehaviour[dropsBefore];
        if (problem !== undefined && Number.isNaN(droppedAfter)) droppedAfter = performance.now() - startedAt;
        return performance.now() >= startedAt + runMs;
      },
      runMs + 10_000,
    );
    const run: AttackRun = {
      sent,
      problem,
      droppedAfter,
      counted: answering.units / 1e6 / runMs,
      measured: answering.ms / runMs,
    };
    const pct = (share: number): string => `${(100 * share).toFixed(1)}%`;
    console.log(
      `SYNC CPU attack (${rogues} ${mode}, ${connections} connections) on a set of ${inventory.ids.length.toLocaleString('en-US')}: ${sent} ` +
        `SYNCs of ${probe.length} B sent; victim answered ${answering.calls}, ` +
        `${(answering.units / 1e6).toFixed(0)} ms of counted work = ${pct(run.counted)} of a core over ` +
        `${runMs / 1000} s; measured ${answering.ms.toFixed(0)} ms by the clock = ${pct(run.measured)} ` +
        `(${(answering.ms / Math.max(1, answering.calls)).toFixed(2)} ms each), process CPU ` +
        `${answering.cpuMs.toFixed(0)} ms; ` +
        (problem === undefined
          ? 'never dropped'
          : `dropped after ${droppedAfter.toFixed(0)} ms for "${problem}"`),
    );
    return run;
  } finally {
    timers.forEach(clearInterval);
    timers.forEach(clearTimeout);
    endRun();
    await Promise.all(slots);
  }
}

describe('the SYNC CPU attack (issue 16, item 2)', () => {
  it("two rogues sending the dearest SYNCs as fast as they are answered cost the victim no more than the node's share", async () => {
    const run = await attack('paced', RUN_MS, 2);
    // It got answers (the attack ran), within the share; if it outspent its own budget it was dropped.
    expect(run.sent).toBeGreaterThan(100);
    expect(run.counted).toBeLessThanOrEqual(MAX_SHARE);
    expect(run.measured).toBeLessThanOrEqual(MAX_MEASURED_SHARE);
    if (run.problem !== undefined) expect(run.problem).toMatch(/work too hard/);
  }, 120_000);

  it('a rogue sending SYNCs without waiting for the answers is disconnected at once', async () => {
    const run = await attack('pipelined', 5000);
    expect(run.problem).toMatch(/before its last one was answered/);
    expect(run.droppedAfter).toBeLessThanOrEqual(PIPELINED_DROPPED_WITHIN_MS);
  }, 60_000);

  it(`an honest fresh node reconciling all ${PADDING.toLocaleString('en-US')} ids with the victim is never dropped`, async () => {
    resetAnswering();
    const dropsBefore = victim.misbehaviour.length;
    const t0 = performance.now();
    const fresh = await startNodePeer(network, tracker.wsUrl, { store: new KnowsPaddingStore() });
    started.push(fresh);
    const { received } = fresh.node.gossip.traffic;
    // The victim lists every padding id to it: 20 bytes each, in SYNC_REPLY frames.
    await pollFor(
      'the fresh node to be sent every id',
      () => (received['sync-reply'] ?? 0) >= 20 * PADDING,
      90_000,
    );
    // Its session ends once it has read them all; give it the time of a round trip or two.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    console.log(
      `honest fresh node: ${(received['sync-reply'] ?? 0).toLocaleString('en-US')} B of replies to ` +
        `${answering.calls} SYNCs in ${((performance.now() - t0) / 1000).toFixed(1)} s; victim answered them ` +
        `in ${answering.ms.toFixed(0)} ms (${(answering.units / 1e6).toFixed(0)} ms counted)`,
    );
    expect(victim.misbehaviour.slice(dropsBefore)).toEqual([]);
    expect(fresh.misbehaviour).toEqual([]);
    expect(fresh.node.status().peers).toBe(1);
  }, 150_000);
});

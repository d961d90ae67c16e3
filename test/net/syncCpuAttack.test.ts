// Issue 16 item 2: SYNC within its frame bucket was a CPU denial of service. A rogue over real webtorrent
// wires on loopback sends, as fast as the HAVE/SYNC bucket allows (UNASKED_PER_SECOND), the dearest valid
// SYNC it can build against a victim holding a large set: the victim disconnects it, and the time the
// victim spent answering its SYNCs stays under a tenth of a core over the run. An honest fresh node that
// reconciles the whole large set with the victim, as fast as the wire goes, is never dropped.
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
const RUN_MS = 30_000;
/**
 * The bounds asserted: a tenth of a core by the victim's own count of the work (syncWork.ts: nominal ns,
 * calibrated to overstate the time a message takes here), and a quarter of a core by the clock (the
 * time inside SyncInventory.answer; on a machine shared by other jobs the clock runs on while the
 * process waits for a core, so that figure is high by the load; issue 16 asks ≤ 25% of rogues together).
 */
const MAX_SHARE = 0.1;
const MAX_MEASURED_SHARE = 0.25;
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

describe('the SYNC CPU attack (issue 16, item 2)', () => {
  it('a rogue sending the dearest SYNCs its frame bucket allows is disconnected, its SYNCs under a tenth of a core', async () => {
    // The rogue knows the victim's set (every id is public once relayed) and fingerprints it exactly:
    // each range costs the victim a binary search and a SHA-256 and it answers nothing.
    const inventory = await victim.store.acceptedInventory();
    const set = SyncSet.fromItems(inventory.ids.map((id, i) => ({ id, time: inventory.times[i]! })));
    const probe = costlySync(set, COSTLY_SHAPES.fingerprints);
    const messages = Array.from({ length: 64 }, (_, k) =>
      encodeSync(costlySync(set, { ...COSTLY_SHAPES.fingerprints, from: 1 + k * 1000 })),
    );
    const dropped = victim.nextMisbehaviour();
    let problem: string | undefined;
    void dropped.then((p) => (problem = p));
    let startedAt = 0;
    let sent = 0;
    const timers: ReturnType<typeof setInterval>[] = [];
    class Rogue {
      private closed = false;
      constructor(private readonly wire: GossipWire) {
        wire.extendedHandshake.ttx = WIRE_VERSION;
        wire.once('close', () => (this.closed = true));
      }
      onExtendedHandshake(): void {
        if (startedAt > 0) return; // a second wire of the same rogue (refused once it is banned)
        startedAt = performance.now();
        resetAnswering();
        // ROGUE_RATE frames a second, in ticks of 50 ms.
        timers.push(
          setInterval(() => {
            for (let i = 0; i < ROGUE_RATE / 20 && !this.closed; i++) {
              this.wire.extended(EXTENSION_NAME, messages[sent++ % messages.length]!);
            }
          }, 50),
        );
      }
      onMessage(payload: Uint8Array): void {
        // It answers the victim's own reconciliation (as a node holding nothing), so that it is not
        // dropped for leaving a SYNC unanswered.
        if (payload[0] === 0x04 && !this.closed) {
          const reply = new Reconciler(SyncSet.empty()).respond(payload.subarray(1));
          this.wire.extended(EXTENSION_NAME, encodeSyncReply(reply));
        }
      }
    }
    Object.defineProperty(Rogue.prototype, 'name', { value: EXTENSION_NAME });
    const client = joinAsRogue(network, tracker.wsUrl, Rogue);
    try {
      await pollFor('the rogue to begin', () => startedAt > 0, 60_000);
      const runEnd = startedAt + RUN_MS;
      let droppedAfter = NaN;
      await pollFor(
        'the run to end',
        () => {
          if (problem !== undefined && Number.isNaN(droppedAfter))
            droppedAfter = performance.now() - startedAt;
          return performance.now() >= runEnd;
        },
        RUN_MS + 10_000,
      );
      const counted = answering.units / 1e6 / RUN_MS;
      const measured = answering.ms / RUN_MS;
      const pct = (share: number): string => `${(100 * share).toFixed(1)}%`;
      console.log(
        `SYNC CPU attack on a set of ${inventory.ids.length.toLocaleString('en-US')}: ${sent} SYNCs of ` +
          `${probe.length} B sent (${ROGUE_RATE}/s); victim answered ${answering.calls}, ` +
          `${(answering.units / 1e6).toFixed(0)} ms of counted work = ${pct(counted)} of a core over ` +
          `${RUN_MS / 1000} s; measured ${answering.ms.toFixed(0)} ms by the clock = ${pct(measured)} ` +
          `(${(answering.ms / Math.max(1, answering.calls)).toFixed(2)} ms each), process CPU ` +
          `${answering.cpuMs.toFixed(0)} ms; ` +
          (problem === undefined
            ? 'never dropped'
            : `dropped after ${droppedAfter.toFixed(0)} ms for "${problem}"`),
      );
      expect(problem).toMatch(/work too hard/);
      expect(counted).toBeLessThanOrEqual(MAX_SHARE);
      expect(measured).toBeLessThanOrEqual(MAX_MEASURED_SHARE);
    } finally {
      timers.forEach(clearInterval);
      await leave(client);
    }
  }, 120_000);

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

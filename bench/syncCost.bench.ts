// Calibration of the reconciliation work units (src/net/sync/syncWork.ts) against this machine's clock,
// and the cost of honest sessions in those units (what the per-peer SYNC budget, syncBudget.ts, must let
// through):
//  1. For message shapes a hostile peer can send (test/support/costlySync.ts) and honest ones, the
//     responder's (or initiator's) measured time next to the nominal time its counted work stands for:
//     a ratio ≤ 1 means the units overstate the time, as they should.
//  2. Whole honest sessions over the gossip's real bounds (SyncInventory's frame and round limits): work
//     units each side, rounds, and the dearest single message, for a set of N (default 1,000,000).
// Usage: npx tsx bench/syncCost.bench.ts [--size N]
import { parseArgs } from 'node:util';
import { Reconciler } from '../src/net/sync/reconciler.ts';
import { MAX_SYNC_ROUNDS } from '../src/net/sync/syncInventory.ts';
import type { SyncSet } from '../src/net/sync/syncSet.ts';
import { costOf } from '../src/net/sync/syncWork.ts';
import { MAX_SYNC_BYTES } from '../src/net/txWireProtocol.ts';
import { COSTLY_SHAPES, costlySync } from '../test/support/costlySync.ts';
import { randomPackedItems, setOf } from '../test/support/reconcileSession.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '1000000' } } });
const size = Number(values.size);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const options = { frameSizeLimit: MAX_SYNC_BYTES, maxRounds: MAX_SYNC_ROUNDS };

const items = randomPackedItems(size);
const all = setOf(items, () => true);

/** Best of `runs` timings (ms) of `run`: the machine is shared. */
function best(runs: number, run: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    run();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

// 1. Measured time against nominal time, per message.
const responderShapes: [string, Uint8Array][] = Object.entries(COSTLY_SHAPES).map(([name, shape]) => [
  `hostile: ${name}`,
  costlySync(all, shape),
]);
responderShapes.push(['honest: a fresh node asks for all', new Reconciler(emptyOf(), options).initiate()]);
console.log('message                              units (nominal µs)   measured µs   measured / nominal');
for (const [name, message] of responderShapes) {
  const probe = new Reconciler(all, options);
  probe.respond(message);
  const units = costOf(probe.lastWork);
  const ms = best(20, () => new Reconciler(all, options).respond(message));
  row(name, units, ms);
}
{
  // The initiator's side of a fresh node's first round: it checks the peer's full id list.
  const fresh = new Set<string>();
  const reply = new Reconciler(all, options).respond(new Reconciler(emptyOf(), options).initiate());
  const initiator = (): Reconciler => {
    const r = new Reconciler(emptyOf(), { ...options, holds: (id) => fresh.has(id) });
    r.initiate();
    return r;
  };
  const probe = initiator();
  probe.reconcile(reply);
  const units = costOf(probe.lastWork);
  let ms = Infinity;
  for (let i = 0; i < 20; i++) {
    const r = initiator();
    const t0 = performance.now();
    r.reconcile(reply);
    ms = Math.min(ms, performance.now() - t0);
  }
  row('honest: a fresh node reads a full id list', units, ms);
}

function row(name: string, units: number, ms: number): void {
  console.log(
    `${name.padEnd(40)} ${fmt(units / 1000).padStart(10)} ${fmt(ms * 1000).padStart(13)} ${((ms * 1e6) / units).toFixed(2).padStart(12)}`,
  );
}

function emptyOf(): SyncSet {
  return setOf(items, () => false);
}

// 2. Honest sessions.
console.log(`\nhonest sessions over ${fmt(size)} items (${fmt(MAX_SYNC_BYTES)} B frames):`);
console.log(
  'case                                  rounds   responder units   initiator units   dearest message',
);
const cases: [string, () => [SyncSet, SyncSet]][] = [
  [`fresh (0) vs ${fmt(size)}`, () => [emptyOf(), all]],
  [`${fmt(size)} vs fresh (0)`, () => [all, emptyOf()]],
  ['newest half missing', () => [setOf(items, (i) => i < size / 2), all]],
  ['random half missing', () => [setOf(items, () => Math.random() < 0.5), all]],
  [
    'random half each side',
    () => {
      const mine = items.times.map(() => (Math.random() < 0.5 ? 1 : 0));
      return [
        setOf(items, (i) => mine[i] === 1 || Math.random() < 0.5),
        setOf(items, (i) => mine[i] === 0 || Math.random() < 0.5),
      ];
    },
  ],
  ['1,000 scattered missing', () => [setOf(items, (i) => i % Math.floor(size / 1000) !== 7), all]],
];
for (const [name, make] of cases) {
  const [a, b] = make();
  const holds = new Set(Array.from({ length: a.size }, (_, i) => a.hexIdAt(i)));
  const initiator = new Reconciler(a, { ...options, holds: (id) => holds.has(id) });
  let message: Uint8Array | null = initiator.initiate();
  let initiatorUnits = costOf(initiator.lastWork);
  let responderUnits = 0;
  let dearest = 0;
  let rounds = 0;
  while (message) {
    const responder = new Reconciler(b, options);
    const reply = responder.respond(message);
    rounds++;
    responderUnits += costOf(responder.lastWork);
    dearest = Math.max(dearest, costOf(responder.lastWork));
    message = initiator.reconcile(reply).reply;
    initiatorUnits += costOf(initiator.lastWork);
    dearest = Math.max(dearest, costOf(initiator.lastWork));
  }
  console.log(
    `${name.padEnd(36)} ${fmt(rounds).padStart(7)} ${fmt(responderUnits).padStart(17)} ${fmt(initiatorUnits).padStart(17)} ${fmt(dearest).padStart(17)}`,
  );
}

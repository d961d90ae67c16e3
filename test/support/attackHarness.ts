// The attack tests' harness (test/net/attacks*.test.ts): a victim node in this process and two honest
// nodes with a real tracker on loopback in another (honestNodes.ts), the honest two paying each other
// every 2 s through the swarm,
// and rogues in a child process (rogueSwarm.ts) that flood the victim, each coming back with a fresh peer
// id whenever it is dropped. runAttack measures, during a fixed attack time: how soon each rogue was
// dropped and for what, what the victim held (sampled, and checked against the hold policy's tracking
// afterwards), the process heap, the honest payments' delay, the CPU the rogues cost this process, and
// which peers were banned. The figures come back for the tests to assert, and as a line of the note's
// table (attackTableLine).
//
// CPU from rogues: this process's CPU time (process.cpuUsage: every thread, node-datachannel's included)
// per second of wall time during the attack, minus the same during a baseline window with the honest
// traffic alone, just before. Only the victim runs here: the rogues' own work (signing, sending) is in
// their process, and the tracker's and the honest nodes' share of the rogues' reconnects (each new rogue
// client meets them too) in theirs. The machine is shared, so it is noisy; the bounds leave margin.
import { expect } from 'vitest';
import { isHeld } from '../../src/core/verdict.ts';
import { MAX_HELD_TOTAL } from '../../src/net/exchange/heldPolicy.ts';
import { nodeStrictVerifier } from '../../src/node/nativeEd25519Verifier.ts';
import { startHonestNodes, type RemoteHonest } from './honestNodes.ts';
import { startNodePeer, waitFor, type NodePeer } from './nodePeer.ts';
import { storeWithAccepted, acceptedSetOf } from './acceptedSetPreload.ts';
import type { FloodKind, FloodParams } from './rogueFloods.ts';
import { startRogueSwarm, type RogueConnection } from './rogueSwarm.ts';
import { makeTestNetwork, pay, personNamed, type TestNetwork } from './testNetwork.ts';

/** Genesis tokens of the attack network. */
const TOKENS = 10_000_000;
/** Honest traffic: one payment every HONEST_EVERY_MS, alternately A → B and B → A. */
const HONEST_EVERY_MS = 2000;
/** Baseline CPU window before each attack, with only the honest traffic. */
const BASELINE_MS = 4000;
/**
 * How long a new peer counts as a newcomer at the victim (TxGossip's NEWCOMER_MS is 60 s): a rogue with a
 * fresh id is a newcomer all its short life either way, and the honest nodes become established peers
 * before the first attack without the file waiting a minute. An honest node still a newcomer shares the
 * newcomers' bucket of pushes with the rogues, and a push of its ignored there arrives only at the next
 * reconciliation: an honest delay of 45 s in a CI run, the honest nodes younger than a minute.
 */
const VICTIM_NEWCOMER_MS = 10_000;

/** How long the victim may take after the attack to have every held row tracked by its hold policy. */
const SETTLE_MS = 10_000;
const SAMPLE_MS = 100;

export const alice = personNamed('alice');
export const bob = personNamed('bob');
export const mallory = personNamed('mallory');

export interface AttackNetwork {
  readonly network: TestNetwork;
  readonly trackerUrl: string;
  readonly victim: NodePeer;
  readonly honestA: RemoteHonest;
  readonly honestB: RemoteHonest;
  /** Outputs the payers spend from (each payment a sibling spending 1 token of it). */
  readonly funds: { readonly alice: string; readonly bob: string; readonly mallory: string };
  /** The accepted set every node was started with, if any (acceptedSetPreload.ts). */
  readonly acceptedSet?: { readonly size: number; readonly seed: number };
  close(): Promise<void>;
}

/** Starts the tracker and the three honest nodes, funds Alice, Bob and Mallory, and waits until all know. */
export async function startAttackNetwork(
  options: { acceptedSet?: { size: number; seed: number } } = {},
): Promise<AttackNetwork> {
  const network = makeTestNetwork(TOKENS);
  const honest = await startHonestNodes(TOKENS, options.acceptedSet);
  const { A: honestA, B: honestB, trackerUrl } = honest;
  const preloaded = options.acceptedSet && acceptedSetOf(options.acceptedSet.size, options.acceptedSet.seed);
  // The victim verifies as a `torrenttx node` does (node:crypto behind the strict checks; a tab's
  // WebCrypto path is as fast), not at @noble's pure-JS rate, which no deployed node runs at.
  const victim = await startNodePeer(network, trackerUrl, {
    verify: nodeStrictVerifier(),
    newcomerMs: VICTIM_NEWCOMER_MS,
    ...(preloaded && { store: await storeWithAccepted(preloaded) }),
  });
  // The honest two reach each other through the victim at least. Offers lost on a loaded machine are
  // retried only after a minute with one peer; ask again sooner.
  const asking = setInterval(() => victim.node.lookForPeers(), 5000);
  let metAt: number;
  try {
    await waitFor('the three honest nodes to meet', [victim], () => victim.node.status().peers >= 2);
    metAt = performance.now();
  } finally {
    clearInterval(asking);
  }
  const funding = [alice, bob, mallory].map((who, i) =>
    pay(network.owner, who, 1_000_000, network.genesis.id, Date.now() - 60_000 + i),
  );
  for (const payment of funding) await honestA.send(payment);
  await Promise.all(funding.map((p) => honestB.acceptedAt(p.id)));
  await waitFor('the victim to accept the funding', [victim], async () =>
    (await Promise.all(funding.map((p) => victim.store.getTx(p.id)))).every((r) => r?.status === 'accepted'),
  );
  // The honest nodes are the victim's established peers when an attack begins, as the bounds assume.
  const established = metAt + VICTIM_NEWCOMER_MS + 1000 - performance.now();
  if (established > 0) await new Promise((resolve) => setTimeout(resolve, established));
  const [aliceFunds, bobFunds, malloryFunds] = funding.map((p) => p.id) as [string, string, string];
  return {
    network,
    trackerUrl,
    victim,
    honestA,
    honestB,
    funds: { alice: aliceFunds, bob: bobFunds, mallory: malloryFunds },
    acceptedSet: options.acceptedSet,
    async close() {
      await victim.close();
      await honest.close();
    },
  };
}

/** Held rows (orphans, futures) in a node's store. */
export async function heldAt(peer: NodePeer): Promise<number> {
  const counts = await peer.store.statusCounts();
  return Object.entries(counts)
    .filter(([status]) => isHeld(status as Parameters<typeof isHeld>[0]))
    .reduce((sum, [, n]) => sum + n, 0);
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

interface HonestDelay {
  readonly sentAt: number;
  readonly delay: number;
}

/**
 * Honest traffic: every 2 s A's owner pays B's and the other way round; stop() resolves with each
 * payment's delay until the victim and the other honest node both accepted it.
 */
export function honestPayments(net: AttackNetwork): { stop(): Promise<HonestDelay[]> } {
  const delays: HonestDelay[] = [];
  const pending: Promise<void>[] = [];
  let round = 0;
  const send = () => {
    round++;
    const fromA = round % 2 === 1;
    const [sender, receiver, payer, payee, funds] = fromA
      ? [net.honestA, net.honestB, alice, bob, net.funds.alice]
      : [net.honestB, net.honestA, bob, alice, net.funds.bob];
    const payment = pay(payer, payee, 1, funds, Date.now()); // fresh, so nodes relay it
    // Date.now(): the receiver's time comes from the honest nodes' process (same machine, same clock).
    const sentAt = Date.now();
    const atVictim = waitFor(
      `honest payment ${round} to reach the victim`,
      [net.victim],
      async () => (await net.victim.store.getTx(payment.id))?.status === 'accepted',
    ).then(() => Date.now());
    pending.push(
      sender
        .send(payment)
        .then(() => Promise.all([atVictim, receiver.acceptedAt(payment.id)]))
        .then((times) => void delays.push({ sentAt, delay: Math.max(...times) - sentAt })),
    );
  };
  send();
  const timer = setInterval(send, HONEST_EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      return delays;
    },
  };
}

export interface AttackOptions {
  /** The table's first column. */
  readonly name: string;
  readonly kind: FloodKind;
  readonly params?: FloodParams;
  /** Rogues at once (default 3). */
  readonly rogues?: number;
  /** How long the rogues attack, reconnecting with fresh ids (default 20 s). */
  readonly durationMs?: number;
  /** Sampled with the held count (every 100 ms) during the attack, e.g. the request tracker's load. */
  readonly sample?: () => number;
}

export interface AttackFigures {
  readonly name: string;
  /** Every connection of every rogue. */
  readonly connections: readonly RogueConnection[];
  /** ms from a connection's first frame until the victim dropped it, for those it dropped. */
  readonly msToDrop: readonly number[];
  /**
   * Frames the rogues sent a second, over the time they were connected: what the attack offered. On a
   * machine too loaded to run the rogues' process, it falls short, and the CPU and delay figures mean
   * little (tests of rate-bound floods assert it).
   */
  readonly framesPerRogueSecond: number;
  /** Connections the victim had not dropped when the attack ended, and the longest of them. */
  readonly notDropped: number;
  readonly longestUndroppedMs: number;
  /** What the victim said, by problem, with how many times. */
  readonly problems: ReadonlyMap<string, number>;
  /** Held rows in the victim's store, at most while sampled. */
  readonly heldPeak: number;
  /** After the attack and SETTLE_MS: held rows, and how many the hold policy tracks. */
  readonly heldAfter: number;
  readonly trackedAfter: number;
  /**
   * Held rows the hold policy does not track (no expiry, outside its bounds) that this attack added:
   * after it, less before it (an earlier attack of the file may have left some). Must be 0.
   */
  readonly untrackedAdded: number;
  readonly heapPeakMb: number;
  readonly honestDelays: readonly number[];
  readonly honestP95: number;
  /** The honest payments' delay p95 during the baseline window, for comparison (not asserted). */
  readonly baselineP95: number;
  /** Cores of this process's CPU that the attack added over the honest baseline (see the header). */
  readonly cpuFromRogues: number;
  readonly baselineCpu: number;
  /** The peak of `options.sample`. */
  readonly samplePeak: number;
  /** Ids of payments the rogues sent inside CONFLICT frames. */
  readonly evidencePayments: readonly string[];
  /** Peers the victim or an honest node banned that were not rogues (must stay empty). */
  readonly honestBanned: readonly string[];
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Checks `check` every SAMPLE_MS until it holds or `ms` passed; says whether it held. */
async function holdsWithin(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  }
}

/** Runs one attack (see the header) and returns its figures; prints its line of the table. */
export async function runAttack(net: AttackNetwork, options: AttackOptions): Promise<AttackFigures> {
  const { victim, honestA, honestB } = net;
  const durationMs = options.durationMs ?? 20_000;
  const bannedBy = async (): Promise<string[][]> => [
    victim.misbehavingPeers,
    ...(await Promise.all([honestA, honestB].map((peer) => peer.misbehavingPeers()))),
  ];
  const bannedBefore = (await bannedBy()).map((ids) => ids.length);
  const problemsBefore = victim.misbehaviour.length;
  const untracked = async (): Promise<number> =>
    Math.max(0, (await heldAt(victim)) - victim.node.gossip.exchangeState().held.length);
  const untrackedBefore = await untracked();
  const swarm = await startRogueSwarm({
    trackerUrl: net.trackerUrl,
    tokens: TOKENS,
    victimPeerId: victim.peerId,
    kind: options.kind,
    params: options.params ?? {},
    rogues: options.rogues ?? 3,
    durationMs,
  });
  const honest = honestPayments(net);
  try {
    let heldPeak = 0;
    let samplePeak = 0;
    let heapPeak = 0;
    let sampling = false;
    const sampler = setInterval(() => {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      samplePeak = Math.max(samplePeak, options.sample?.() ?? 0);
      if (sampling) return;
      sampling = true;
      void heldAt(victim).then((held) => {
        heldPeak = Math.max(heldPeak, held);
        sampling = false;
      });
    }, SAMPLE_MS);
    // Baseline: the honest traffic alone, sampled as during the attack (the sampler reads the store).
    let cpuAt = cpuSeconds();
    let wallAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
    const baselineCpu = (cpuSeconds() - cpuAt) / ((performance.now() - wallAt) / 1000);
    heldPeak = samplePeak = 0;
    const attackStart = Date.now(); // as the honest payments' sentAt
    cpuAt = cpuSeconds();
    wallAt = performance.now();
    try {
      await swarm.attack();
    } finally {
      clearInterval(sampler);
    }
    const cpuFromRogues = (cpuSeconds() - cpuAt) / ((performance.now() - wallAt) / 1000) - baselineCpu;
    heldPeak = Math.max(heldPeak, await heldAt(victim));
    const all = await honest.stop();
    const delays = all.filter((d) => d.sentAt >= attackStart).map((d) => d.delay);
    const baselineDelays = all.filter((d) => d.sentAt < attackStart).map((d) => d.delay);
    // Every held row must be one the hold policy tracks (expiry, bounds); dropping is asynchronous.
    await holdsWithin(SETTLE_MS, async () => (await untracked()) <= untrackedBefore);
    const untrackedAdded = (await untracked()) - untrackedBefore;
    const heldAfter = await heldAt(victim);
    const trackedAfter = victim.node.gossip.exchangeState().held.length;
    const rogueIds = new Set(swarm.connections.map((c) => c.peerId));
    const honestBanned = (await bannedBy()).flatMap((ids, i) =>
      ids.slice(bannedBefore[i]).filter((id) => !rogueIds.has(id)),
    );
    const problems = new Map<string, number>();
    for (const problem of victim.misbehaviour.slice(problemsBefore)) {
      problems.set(problem, (problems.get(problem) ?? 0) + 1);
    }
    const dropped = swarm.connections.filter((c) => c.msToDrop !== null);
    const undropped = swarm.connections.filter((c) => c.msToDrop === null && c.msConnected > 0);
    const figures: AttackFigures = {
      name: options.name,
      connections: swarm.connections,
      msToDrop: dropped.map((c) => c.msToDrop!),
      framesPerRogueSecond:
        swarm.connections.reduce((sum, c) => sum + c.frames, 0) /
        Math.max(1e-3, swarm.connections.reduce((sum, c) => sum + c.msConnected, 0) / 1000),
      notDropped: undropped.length,
      longestUndroppedMs: Math.max(0, ...undropped.map((c) => c.msConnected)),
      problems,
      heldPeak,
      heldAfter,
      trackedAfter,
      untrackedAdded,
      heapPeakMb: heapPeak / 2 ** 20,
      honestDelays: delays,
      honestP95: percentile(delays, 95),
      baselineP95: percentile(baselineDelays, 95),
      cpuFromRogues,
      baselineCpu,
      samplePeak,
      evidencePayments: swarm.payments,
      honestBanned,
    };
    console.log(attackTableLine(figures));
    return figures;
  } finally {
    await honest.stop();
    await swarm.close();
  }
}

const ms = (n: number): string => `${Math.round(n).toLocaleString('en-US')} ms`;

/** The attack's line in the note's table, with the CPU and the reconnects after it. */
export function attackTableLine(f: AttackFigures): string {
  const dropped =
    f.msToDrop.length === 0
      ? `never (${f.notDropped} connections, up to ${ms(f.longestUndroppedMs)})`
      : `p50 ${ms(percentile(f.msToDrop, 50))}, max ${ms(Math.max(...f.msToDrop))} (${f.msToDrop.length} drops` +
        (f.notDropped > 0 ? `; ${f.notDropped} not dropped, up to ${ms(f.longestUndroppedMs)})` : ')');
  const reasons = [...f.problems].map(([problem, n]) => `${problem} (${n})`).join('; ') || '–';
  return (
    `| ${f.name} | ${dropped} | ${reasons} | ${f.heldPeak} (after: ${f.heldAfter} held, ${f.trackedAfter} tracked, ${f.untrackedAdded} untracked added) | ` +
    `${f.heapPeakMb.toFixed(0)} MB | ${ms(f.honestP95)} (${f.honestDelays.length} payments; before the attack ${ms(f.baselineP95)}) | ` +
    `CPU from rogues ${(f.cpuFromRogues * 100).toFixed(0)}% of a core (baseline ${(f.baselineCpu * 100).toFixed(0)}%); ` +
    `${f.connections.length} rogue connections, ${f.framesPerRogueSecond.toFixed(0)} frames/s each |`
  );
}

/** Bounds every attack test asserts (issue 16's "done when"). */
export const MAX_CPU_FROM_ROGUES = 0.25;
export const MAX_HONEST_P95_MS = 1000;

/**
 * What every attack must leave: no honest peer banned, held ≤ MAX_HELD_TOTAL at every sample, nothing
 * held that the hold policy does not track, the honest payments' p95 ≤ 1 s, and (where `cpu`) the
 * victim's CPU from the rogues ≤ 25% of a core.
 */
export function expectAttackHeld(figures: AttackFigures, { cpu }: { cpu: boolean }): void {
  expect(figures.honestBanned).toEqual([]);
  expect(figures.heldPeak).toBeLessThanOrEqual(MAX_HELD_TOTAL);
  expect(figures.untrackedAdded).toBe(0);
  expect(figures.honestDelays.length).toBeGreaterThan(0);
  expect(figures.honestP95).toBeLessThanOrEqual(MAX_HONEST_P95_MS);
  if (cpu) expect(figures.cpuFromRogues).toBeLessThanOrEqual(MAX_CPU_FROM_ROGUES);
}

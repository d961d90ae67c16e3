// The network simulation's scenario (`npm run sim`, docs/simulation.md): `nodes` real gossip nodes on a
// random graph of simulated links, in virtual time. Each node holds the genesis; then `payments`
// payments are injected one after another, each at a random node, and every node's first acceptance is
// timed; then a double spend is injected at two nodes as far apart as the graph allows, at the same
// instant, and every node's first record of the conflict is timed. Returns the raw figures.
import { seededRandom } from '../generateDag.ts';
import { TICK_MS } from '../../src/net/txGossip.ts';
import {
  GENESIS_TIME,
  makeTestNetwork,
  pay,
  personNamed,
  type TestNetwork,
} from '../../test/support/testNetwork.ts';
import { sharedVerdicts } from './sharedVerdicts.ts';
import { SimNode, Tally, type SimNodeSetting } from './simNode.ts';
import { connect } from './simWire.ts';
import { hopsFrom, neighboursOf, randomTopology } from './topology.ts';
import { VirtualTime } from './virtualTime.ts';

export interface SimOptions {
  readonly nodes: number;
  /** Gossip peers each node keeps: at least minDegree, at most maxDegree. */
  readonly minDegree: number;
  readonly maxDegree: number;
  /** One-way link latency, drawn uniformly per link from [min, max] ms. */
  readonly latencyMinMs: number;
  readonly latencyMaxMs: number;
  /** Chance each transmission of a frame is lost (retransmitted on the ordered stream: simWire.ts). */
  readonly loss: number;
  /** Each node's uplink, Mbit/s (Infinity: latency only). */
  readonly uplinkMbps: number;
  /** Virtual ms each node's ledger spends per received transaction (0: decided at once). */
  readonly ledgerMsPerTx: number;
  readonly payments: number;
  /** Virtual time given to each payment (and to the double spend) before the next: its traffic settles. */
  readonly phaseMs: number;
  /** How long to wait at most for every node to get a payment or the evidence. */
  readonly timeoutMs: number;
  readonly seed: number;
}

export const DEFAULT_SIM: SimOptions = {
  nodes: 1000,
  minDegree: 8,
  maxDegree: 12,
  latencyMinMs: 20,
  latencyMaxMs: 200,
  loss: 0,
  uplinkMbps: Infinity,
  ledgerMsPerTx: 0,
  payments: 10,
  phaseMs: 3000,
  timeoutMs: 30_000,
  seed: 1,
};

export interface SimResult {
  /** Ms from injection to each other node's acceptance, over every payment (only nodes that got it). */
  readonly propagationMs: number[];
  /** Per payment: ms until the last node accepted it (Infinity if some never did). */
  readonly lastNodeMs: number[];
  /** (node, payment) pairs that never accepted the payment within the time-out. */
  readonly missedPayments: number;
  /** Ms from the double spend's injection to each node's record of it (only nodes that recorded it). */
  readonly conflictMs: number[];
  readonly missedConflicts: number;
  /** Hops between the two nodes the double spend was injected at. */
  readonly conflictDistance: number;
  /** Nodes whose ledger holds one of the two spends as `conflict` (the other accepted). */
  readonly ledgerConflicts: number;
  /** How many nodes accepted each of the two spends (first seen). */
  readonly firstSeen: readonly [number, number];
  /** Gossip bytes sent per node per payment, by frame type (over each payment's whole phase). */
  readonly paymentBytes: Record<string, number>;
  /** Gossip bytes sent per node during the double-spend phase, by frame type. */
  readonly conflictBytes: Record<string, number>;
  /** Gossip connections per node (TxGossip.peerCount once connected). */
  readonly connections: number[];
  /** Hops from each payment's source to every node: the graph's share of the delay. */
  readonly hops: number[];
  readonly misbehaviour: string[];
  readonly wallMs: number;
  /** CPU time of the process (user + system): on a shared machine, steadier than the wall time. */
  readonly cpuMs: number;
  readonly virtualMs: number;
  readonly events: number;
  readonly verdicts: { verified: number; reused: number };
  readonly heapMb: number;
}

export async function runSim(options: SimOptions): Promise<SimResult> {
  // The wall clock: performance.now and Date.now are virtual while the simulation runs.
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const random = seededRandom(options.seed);
  const network = makeTestNetwork(1_000_000);
  const edges = randomTopology(options, random);
  const neighbours = neighboursOf(options.nodes, edges);
  // Virtual time starts an hour after the genesis: payments made "now" are fresh, so they are relayed.
  const time = new VirtualTime(GENESIS_TIME + 3_600_000);
  const start = time.now;
  time.install();
  const nodes: SimNode[] = [];
  try {
    const verdicts = sharedVerdicts();
    const tally = new Tally();
    const setting: SimNodeSetting = {
      network,
      verify: verdicts.verify,
      clock: () => time.now,
      uplinkMbps: options.uplinkMbps,
      ledgerMsPerTx: options.ledgerMsPerTx,
      tally,
    };
    // Nodes start at random instants within a tick, so their timers do not fire in lock step.
    for (let i = 0; i < options.nodes; i++) {
      time.at(start + random() * TICK_MS, () => {
        const node = new SimNode(i, setting);
        nodes[i] = node;
        void node.start();
      });
    }
    for (const edge of edges) {
      time.at(start + TICK_MS + random() * 1000, () => {
        const [a, b] = [nodes[edge.a]!, nodes[edge.b]!];
        const [wireA, wireB] = connect(time, a, b, { latencyMs: edge.latencyMs, loss: options.loss }, random);
        a.wires.push(wireA);
        b.wires.push(wireB);
      });
    }
    await time.run(start + TICK_MS + 1000 + 2000);
    const connections = nodes.map((node) => node.gossip.peerCount);
    const run: SimRun = { time, nodes, neighbours, network, random, options, tally };

    const paymentTraffic = trafficMeter(nodes);
    const paid = await payments(run);
    const paymentBytes = perNode(paymentTraffic(), options.nodes * Math.max(1, options.payments));

    const conflictTraffic = trafficMeter(nodes);
    const conflict = await doubleSpend(run);
    const conflictBytes = perNode(conflictTraffic(), options.nodes);

    const memory = process.memoryUsage();
    return {
      ...paid,
      ...conflict,
      paymentBytes,
      conflictBytes,
      connections,
      misbehaviour: nodes.flatMap((node) => node.misbehaviour.map((m) => `${node.name} dropped ${m}`)),
      wallMs: Number(process.hrtime.bigint() - wallStart) / 1e6,
      cpuMs: cpuMsSince(cpuStart),
      virtualMs: time.now - start,
      events: time.ran,
      verdicts: { ...verdicts.stats },
      heapMb: memory.heapUsed / 2 ** 20,
    };
  } finally {
    for (const node of nodes) node?.destroy();
    time.restore();
  }
}

interface SimRun {
  readonly time: VirtualTime;
  readonly nodes: readonly SimNode[];
  readonly neighbours: readonly Set<number>[];
  readonly network: TestNetwork;
  readonly random: () => number;
  readonly options: SimOptions;
  readonly tally: Tally;
}

/** Payments injected one after another, each at a random node, each given `phaseMs`. */
async function payments({ time, nodes, neighbours, network, random, options, tally }: SimRun) {
  const propagationMs: number[] = [];
  const lastNodeMs: number[] = [];
  const hops: number[] = [];
  let missedPayments = 0;
  for (let p = 0; p < options.payments; p++) {
    const source = Math.floor(random() * options.nodes);
    const injected = time.now;
    const payee = personNamed(`payee-${p}`);
    const tx = pay(network.owner, payee, 1000, network.genesis.id, Math.floor(injected));
    await nodes[source]!.send(tx);
    await time.run(injected + options.timeoutMs, () => tally.count(tx.id) === options.nodes);
    let last = 0;
    for (const node of nodes) {
      if (node.index === source) continue;
      const at = node.acceptedAt.get(tx.id);
      if (at === undefined) {
        missedPayments++;
        last = Infinity;
        continue;
      }
      propagationMs.push(at - injected);
      last = Math.max(last, at - injected);
    }
    lastNodeMs.push(last);
    hops.push(...hopsFrom(source, neighbours).filter((_, i) => i !== source));
    await time.run(injected + options.phaseMs);
  }
  return { propagationMs, lastNodeMs, missedPayments, hops };
}

/** Two spends of the same output, injected at once at two nodes as far apart as the graph has. */
async function doubleSpend({ time, nodes, neighbours, network, random, options, tally }: SimRun) {
  const a = Math.floor(random() * nodes.length);
  const hops = hopsFrom(a, neighbours);
  const distance = Math.max(...hops);
  const b = hops.indexOf(distance);
  const output = network.genesis.id;
  for (const node of nodes) node.watchConflict(output);
  const injected = time.now;
  const when = Math.floor(injected);
  // Together they spend more than the genesis holds: whichever a node sees second is a conflict there.
  const spends = [
    pay(network.owner, personNamed('double-a'), 600_000, output, when),
    pay(network.owner, personNamed('double-b'), 600_000, output, when),
  ] as const;
  await Promise.all([nodes[a]!.send(spends[0]), nodes[b]!.send(spends[1])]);
  await time.run(injected + options.timeoutMs, () => tally.count(output) === nodes.length);
  const conflictMs = nodes.flatMap((node) => {
    const at = node.conflictAt.get(output);
    return at === undefined ? [] : [at - injected];
  });
  // First seen wins (PROTOCOL §5): a node accepts one spend and records the other as the conflict.
  const firstSeen = spends.map((spend) => nodes.filter((node) => node.acceptedAt.has(spend.id)).length);
  await time.run(injected + Math.max(options.phaseMs, 2000));
  let ledgerConflicts = 0;
  for (const node of nodes) {
    const records = await node.store.getTxs(spends.map((spend) => spend.id));
    const statuses = records.map((record) => record?.status).sort();
    if (statuses[0] === 'accepted' && statuses[1] === 'conflict') ledgerConflicts++;
  }
  return {
    ledgerConflicts,
    conflictMs,
    missedConflicts: nodes.length - conflictMs.length,
    conflictDistance: distance,
    firstSeen: [firstSeen[0]!, firstSeen[1]!] as const,
  };
}

/** Starts counting gossip bytes sent by every node; the returned function gives the totals since. */
function trafficMeter(nodes: readonly SimNode[]): () => Record<string, number> {
  const total = () => {
    const sum: Record<string, number> = {};
    for (const node of nodes) {
      for (const [type, bytes] of Object.entries(node.gossip.traffic.sent))
        sum[type] = (sum[type] ?? 0) + bytes;
    }
    return sum;
  };
  const before = total();
  return () => {
    const after = total();
    return Object.fromEntries(
      Object.entries(after).map(([type, bytes]) => [type, bytes - (before[type] ?? 0)]),
    );
  };
}

function perNode(bytes: Record<string, number>, divisor: number): Record<string, number> {
  return Object.fromEntries(Object.entries(bytes).map(([type, total]) => [type, total / divisor]));
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

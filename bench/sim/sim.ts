// `npm run sim -- --nodes 1000`: the gossip network simulated at size (bench/sim/runSim.ts), printed next
// to published anchors. Options: --nodes, --degree (min, or min-max), --latency (fixed one-way ms) or
// --latency-min/--latency-max, --loss (0–1 per transmission), --uplink (Mbit/s), --ledger-ms (per received
// transaction), --payments, --seed.
// Targets (issue 18): at 1,000 nodes and 100 ms links, propagation p95 ≤ 1 s and every node learns of a
// double spend within 2 s.
import { parseArgs } from 'node:util';
import { percentile } from './percentile.ts';
import { DEFAULT_SIM, runSim, type SimOptions } from './runSim.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string' },
    degree: { type: 'string' },
    latency: { type: 'string' },
    'latency-min': { type: 'string' },
    'latency-max': { type: 'string' },
    loss: { type: 'string' },
    uplink: { type: 'string' },
    'ledger-ms': { type: 'string' },
    payments: { type: 'string' },
    seed: { type: 'string' },
  },
});

const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : Number(text));
const [minDegree, maxDegree] = (values.degree ?? `${DEFAULT_SIM.minDegree}-${DEFAULT_SIM.maxDegree}`)
  .split('-')
  .map(Number);
const options: SimOptions = {
  ...DEFAULT_SIM,
  nodes: number(values.nodes, DEFAULT_SIM.nodes),
  minDegree: minDegree!,
  maxDegree: maxDegree ?? minDegree!,
  latencyMinMs: number(values['latency-min'] ?? values.latency, DEFAULT_SIM.latencyMinMs),
  latencyMaxMs: number(values['latency-max'] ?? values.latency, DEFAULT_SIM.latencyMaxMs),
  loss: number(values.loss, DEFAULT_SIM.loss),
  uplinkMbps: number(values.uplink, DEFAULT_SIM.uplinkMbps),
  ledgerMsPerTx: number(values['ledger-ms'], DEFAULT_SIM.ledgerMsPerTx),
  payments: number(values.payments, DEFAULT_SIM.payments),
  seed: number(values.seed, DEFAULT_SIM.seed),
};

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'never');
const spread = (values: readonly number[]) =>
  `p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))}, p99 ${ms(percentile(values, 99))}, ` +
  `max ${ms(Math.max(...values))}`;
const bytes = (byType: Record<string, number>) => {
  const total = Object.values(byType).reduce((a, b) => a + b, 0);
  const parts = Object.entries(byType)
    .filter(([, b]) => b > 0)
    .map(([type, b]) => `${type} ${Math.round(b)}`);
  return `${Math.round(total)} B (${parts.join(', ')})`;
};
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

const latency =
  options.latencyMinMs === options.latencyMaxMs
    ? `${options.latencyMinMs} ms`
    : `${options.latencyMinMs}–${options.latencyMaxMs} ms`;
console.log(
  `simulating ${options.nodes} nodes, ${options.minDegree}–${options.maxDegree} peers each, one-way latency ` +
    `${latency}, loss ${options.loss}, uplink ${Number.isFinite(options.uplinkMbps) ? `${options.uplinkMbps} Mbit/s` : 'unlimited'}, ` +
    `ledger ${options.ledgerMsPerTx} ms per tx, ${options.payments} payments, seed ${options.seed}`,
);
const result = await runSim(options);

console.log(`\npayment propagation (${options.payments} payments × ${options.nodes - 1} other nodes)`);
console.log(`  to each node: ${spread(result.propagationMs)}`);
console.log(`  to the last node, per payment: ${spread(result.lastNodeMs)}`);
console.log(`  (node, payment) pairs never reached: ${result.missedPayments}`);
console.log(`  hops from the source: mean ${mean(result.hops).toFixed(2)}, max ${Math.max(...result.hops)}`);
console.log(
  `\ndouble spend (injected at two nodes ${result.conflictDistance} hops apart at the same instant)`,
);
console.log(`  evidence recorded by each node: ${spread(result.conflictMs)}`);
console.log(`  nodes that never recorded it: ${result.missedConflicts}`);
console.log(
  `  first seen: ${result.firstSeen[0]} nodes accepted one spend, ${result.firstSeen[1]} the other`,
);
console.log(
  `  nodes whose ledger holds one spend accepted, the other as conflict: ${result.ledgerConflicts}`,
);
console.log(`\ntraffic`);
console.log(`  gossip bytes sent per node per payment: ${bytes(result.paymentBytes)}`);
console.log(`  gossip bytes sent per node for the double spend: ${bytes(result.conflictBytes)}`);
console.log(
  `  connections per node: mean ${mean(result.connections).toFixed(1)}, ` +
    `min ${Math.min(...result.connections)}, max ${Math.max(...result.connections)}`,
);
console.log(`  peers dropped for misbehaving: ${result.misbehaviour.length}`);
for (const problem of result.misbehaviour.slice(0, 5)) console.log(`    ${problem}`);
console.log(`\nrun`);
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
console.log(
  `  ${seconds(result.virtualMs)} of virtual time in ${seconds(result.wallMs)} of wall time ` +
    `(${(result.virtualMs / result.wallMs).toFixed(2)}× real time) and ${seconds(result.cpuMs)} of CPU ` +
    `(${(result.virtualMs / result.cpuMs).toFixed(2)}× real time on a core of its own); ` +
    `${result.events} timer events, heap ${Math.round(result.heapMb)} MB`,
);
console.log(
  `  signatures verified ${result.verdicts.verified}, verdicts reused across nodes ${result.verdicts.reused}`,
);

const p95 = percentile(result.propagationMs, 95);
const conflictMax = result.missedConflicts > 0 ? Infinity : Math.max(...result.conflictMs);
console.log(`\nagainst the anchors`);
console.log(
  `  Waku (nwaku, 1,000 nodes under Shadow, 100 ms links): p95 < 627 ms; here p95 ${ms(p95)} at ${latency}`,
);
console.log(
  `  Solana (push fanout 9): ~3.5 hops to 2,000 nodes; here mean ${mean(result.hops).toFixed(2)} hops ` +
    `to ${options.nodes} nodes at ${mean(result.connections).toFixed(1)} peers (each hop a HAVE, WANT, TX round: ` +
    `3 one-way latencies, the payer's own first hop 1)`,
);
const targetRun = options.nodes === 1000 && options.latencyMinMs === 100 && options.latencyMaxMs === 100;
console.log(
  targetRun
    ? `  issue 18's targets: p95 ≤ 1 s → ${p95 <= 1000 ? 'met' : 'NOT met'} (${ms(p95)}); every node learns ` +
        `the double spend ≤ 2 s → ${conflictMax <= 2000 ? 'met' : 'NOT met'} (${ms(conflictMax)})`
    : `  issue 18's targets are for 1,000 nodes at 100 ms links (--nodes 1000 --latency 100)`,
);

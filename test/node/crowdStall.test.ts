// A crowd whose own thread stalls (issue 18 item 2): newcomers joining one always-on node stand still
// for 15 s midway, as a process hosting many of them did in the crowd bench (a long garbage collection,
// a device under load). The node keeps answering meanwhile; its answers wait in the newcomers' sockets.
// When the newcomers run again, their time-out check came before they read those answers, and the
// requests in flight (over REQUEST_TIMEOUT_MS old by the clock) all timed out at once: each newcomer
// dropped the honest node for leaving its requests unanswered and refused it for BAN_MS, so none
// finished. Peers are judged on the wait clock (src/net/exchange/waitClock.ts), which does not count
// this node's own stall: every newcomer finishes and nobody is dropped, on either side.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCrowdNode, runCrowd, type CrowdNode, type CrowdRun } from '../../bench/support/crowd.ts';
import { REQUEST_TIMEOUT_MS } from '../../src/net/exchange/txRequestTracker.ts';
import { SYNC_REPLY_TIMEOUT_MS } from '../../src/net/txGossip.ts';
import { dagNetwork } from '../support/dagNetwork.ts';

const NEWCOMERS = 8;
const TXS = 2000;
/** Past the request time-out, short of the reconciliation reply's (which the node judges them by). */
const STALL_MS = REQUEST_TIMEOUT_MS + 5000;

let crowd: CrowdNode;
let run: CrowdRun;

beforeAll(async () => {
  expect(STALL_MS).toBeLessThan(SYNC_REPLY_TIMEOUT_MS);
  crowd = await openCrowdNode(dagNetwork(TXS), NEWCOMERS);
  run = await runCrowd(crowd, NEWCOMERS, {
    timeoutMs: 200_000,
    // A third of the way: every newcomer is fetching from the node.
    stall: { afterAccepted: Math.round((NEWCOMERS * TXS) / 3), ms: STALL_MS },
  });
  const joins = run.newcomers.map((n) => n.joinMs ?? Infinity).sort((a, b) => a - b);
  console.log(
    `crowd of ${NEWCOMERS} on a node of ${TXS} txs, stalled ${STALL_MS / 1000} s midway: ` +
      `${run.newcomers.filter((n) => n.joinMs !== undefined).length} joined in ${(run.ms / 1000).toFixed(1)} s ` +
      `(first ${(joins[0]! / 1000).toFixed(1)} s, last ${(joins.at(-1)! / 1000).toFixed(1)} s); ` +
      `dropped: ${run.newcomers.flatMap((n) => n.misbehaviour).length} by newcomers, ${run.after.drops.length} by the node`,
  );
}, 300_000);

afterAll(async () => {
  await crowd?.close();
});

it('nobody is disconnected, as misbehaving or for a time-out, on either side', () => {
  expect(run.newcomers.flatMap((n) => n.misbehaviour)).toEqual([]);
  expect(run.after.drops).toEqual([]);
  expect(run.newcomers.flatMap((n) => n.unresponsive)).toEqual([]);
  expect(run.after.status.unresponsive).toBe(0);
});

it('every newcomer ends with the whole set', () => {
  expect(run.newcomers.filter((n) => n.joinMs === undefined || n.accepted !== TXS)).toEqual([]);
});

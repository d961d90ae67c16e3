// A crowd at once (issue 18 item 2), at a size CI runs: 20 newcomers join one always-on node holding
// 1,000 transactions, whose maximum is 8 RTCPeerConnections (6 gossip peers and a reserve of 2). The
// node runs in a process of its own, which counts its RTCPeerConnections itself (not through the node's
// gate); each newcomer is the tab's gossip code over node-datachannel on a tracker of its own that the
// node also announces to, so the node is its only possible peer (bench/support/crowd.ts).
// Every newcomer must end with the whole set, none may be disconnected as misbehaving (by either side),
// the node must never hold more than 8 connections, and newcomers past its gossip share must have been
// told to come back (BUSY) and come back. `npm run bench:crowd` runs the full size (200 and 20,000).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCrowdNode, runCrowd, type CrowdNode, type CrowdRun } from '../../bench/support/crowd.ts';
import { dagNetwork } from '../support/dagNetwork.ts';

const NEWCOMERS = 20;
const TXS = 1000;
const MAX_CONNECTIONS = 8;

let crowd: CrowdNode;
let run: CrowdRun;

beforeAll(async () => {
  crowd = await openCrowdNode(dagNetwork(TXS), NEWCOMERS, MAX_CONNECTIONS);
  run = await runCrowd(crowd, NEWCOMERS, { timeoutMs: 150_000 });
  const joins = run.newcomers.map((n) => n.joinMs ?? Infinity).sort((a, b) => a - b);
  const s = run.after.status;
  console.log(
    `crowd of ${NEWCOMERS} on a node of ${TXS} txs (max ${MAX_CONNECTIONS}): all joined in ${(run.ms / 1000).toFixed(1)} s ` +
      `(first ${(joins[0]! / 1000).toFixed(1)} s, last ${(joins.at(-1)! / 1000).toFixed(1)} s); ` +
      `node: peak ${run.after.rtcPeak} RTCPeerConnections (its gate: ${s.connectionsPeak}), ${run.peersPeak} gossip peers, ` +
      `${s.turnedAway} told to come back, ${s.released} idle let go, ${s.answeredLate} offers answered late, ${s.declined} declined`,
  );
}, 240_000);

afterAll(async () => {
  await crowd?.close();
});

it('every newcomer ends with the whole set', () => {
  expect(run.newcomers.filter((n) => n.joinMs === undefined || n.accepted !== TXS)).toEqual([]);
});

it('nobody is disconnected, as misbehaving or for a time-out, on either side', () => {
  expect(run.after.drops).toEqual([]);
  expect(run.newcomers.flatMap((n) => n.misbehaviour)).toEqual([]);
  expect(run.after.status.unresponsive).toBe(0);
  expect(run.newcomers.flatMap((n) => n.unresponsive)).toEqual([]);
});

it('the node never holds more than its maximum of RTCPeerConnections', () => {
  expect(run.after.rtcPeak).toBeGreaterThan(0);
  expect(run.after.rtcPeak).toBeLessThanOrEqual(MAX_CONNECTIONS);
  expect(run.after.status.connectionsPeak).toBeLessThanOrEqual(MAX_CONNECTIONS);
  expect(run.after.status.maxConnections).toBe(MAX_CONNECTIONS);
});

it('newcomers past its share were told to come back, and came back', () => {
  const told = run.newcomers.filter((n) => n.busyBeforeDone > 0);
  // 20 newcomers and 6 gossip slots: most of them find the node full at first.
  expect(told.length).toBeGreaterThan(0);
  expect(run.after.status.turnedAway).toBeGreaterThanOrEqual(told.length);
  // Each BUSY ended a session; each one told BUSY began another after it (the one it finished in).
  for (const n of told) expect(n.sessionsBeforeDone).toBeGreaterThan(n.busyBeforeDone);
});

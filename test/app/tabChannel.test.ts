// The tab channel's ready handshake, over Node's real BroadcastChannel (the same API as the browser's): a
// following tab that starts before the writer tab serves is answered once the writer is up, instead of
// waiting on a call that reached no one. A test of the channel's protocol: the writer's "workers" are
// plain objects answering the calls a follower makes.
import type { Remote } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerWorkerApi } from '../../workers/ledger.worker.ts';
import type { NetworkWorkerApi } from '../../workers/network.worker.ts';
import { followOtherTab, type NodeBasics } from '../../src/app/followOtherTab.ts';
import { serveOtherTabs } from '../../src/app/tabChannel.ts';

const GENESIS = 'ab'.repeat(20);
const ADDRESS = 'ttx1writer';

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

/** Passed through to the handle untouched: only the genesis id (the channel's name) is read. */
function basics(): NodeBasics {
  return {
    config: { genesisId: GENESIS },
    serverProblem: null,
    serverUnreachable: false,
  } as unknown as NodeBasics;
}

/** The writer tab: serves its ledger's snapshot (and counts the calls it answered). */
function startWriter(): { calls: number } {
  const served = { calls: 0 };
  const ledger = {
    snapshot: async () => {
      served.calls++;
      return { address: ADDRESS };
    },
  } as unknown as Remote<LedgerWorkerApi>;
  const serving = serveOtherTabs(GENESIS, ledger, () => ({}) as Remote<NetworkWorkerApi>);
  stops.push(serving.stop);
  return served;
}

function follow(until: Promise<void> = new Promise(() => {})) {
  return followOtherTab(
    basics(),
    () => ({
      requestFaucet: async () => ({ id: '', status: '' }),
      createNetwork: async () => basics().config,
    }),
    until,
  );
}

describe('the tab channel', () => {
  it('answers a follower that started before the writer served', async () => {
    const following = follow();
    await new Promise((resolve) => setTimeout(resolve, 300)); // the writer is still opening its ledger
    const writer = startWriter();
    const handle = await following;
    stops.push(handle.stop);
    expect(handle.address).toBe(ADDRESS);
    expect(writer.calls).toBe(1); // asked once, not once per hello
  }, 10_000);

  it('answers a follower that starts after the writer serves', async () => {
    startWriter();
    const handle = await follow();
    stops.push(handle.stop);
    expect(handle.address).toBe(ADDRESS);
  });

  it('rejects the calls left open in words when this tab takes over', async () => {
    let takeOver = () => {};
    const following = follow(new Promise<void>((resolve) => (takeOver = resolve)));
    takeOver(); // no writer ever answered
    await expect(following).rejects.toMatchObject({ name: 'OtherTabClosedError' });
  });
});

// Issue 18 item 5 on the devnet (`npm start`): its own full node announces to its own tracker from
// loopback, so the devnet's tracker counts loopback as a known node without being told, and the node's
// whole history is recorded; with --no-node loopback is an address like any other. Announced to over
// real HTTP from 127.0.0.1, past an unknown address's burst (RECORD_NEW_PER_SOURCE).
import { afterEach, describe, expect, it } from 'vitest';
import { RECORD_NEW_PER_SOURCE } from '../../server/trackerRecord.ts';
import { announceEach, httpAnnouncer, type HttpAnnouncer } from './httpAnnouncer.ts';
import { useTestDevnets } from './useTestDevnets.ts';
import { randomHex20 } from './wsClient.ts';

const IDS = RECORD_NEW_PER_SOURCE.burst + 500;

const devnets = useTestDevnets();
const announcers: HttpAnnouncer[] = [];
afterEach(() => {
  for (const a of announcers.splice(0)) a.destroy();
});

/** How many of IDS new ids announced from 127.0.0.1 the devnet's tracker recorded. */
async function recordedFromLoopback(node: boolean): Promise<number> {
  const devnet = await devnets.start({ node });
  const announcer = httpAnnouncer(devnet.announceUrl, '127.0.0.1', 20);
  announcers.push(announcer);
  const ids = Array.from({ length: IDS }, () => randomHex20());
  await announceEach(announcer, ids, 20);
  return ids.filter((id) => devnet.tracker.record.get(id) !== undefined).length;
}

describe("the devnet's own node", () => {
  it('is a known node: every id announced from loopback is recorded', async () => {
    expect(await recordedFromLoopback(true)).toBe(IDS);
  }, 120_000);

  it('with no node, loopback keeps the limits of any address', async () => {
    expect(await recordedFromLoopback(false)).toBeLessThan(IDS);
  }, 120_000);
});

// Each numbered rule of TxRequestTracker's specification, with the real bounds filled past their limit,
// and a fast-check property over random runs of announcements, requests, answers, timeouts and leaving
// peers: never more than the in-flight bound per peer, one request per id at a time, never the same id
// twice from a peer, every announced id requested or dropped, and no state left once every peer is gone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_ANNOUNCED_PER_PEER,
  MAX_IN_FLIGHT_PER_PEER,
  MAX_ANNOUNCED_TOTAL,
  REQUEST_TIMEOUT_MS,
  TxRequestTracker,
} from '../../../src/net/exchange/txRequestTracker.ts';
import { hexIds } from '../../support/hexIds.ts';

const ids = hexIds;

describe('TxRequestTracker', () => {
  it('1. announces each (peer, id) once, in announcement order', () => {
    const t = new TxRequestTracker();
    t.announce('a', ids(3));
    t.announce('a', ids(3)); // again: no change
    expect(t.announced('a')).toBe(3);
    expect(t.nextRequests('a', 0)).toEqual(ids(3));
  });

  it('2. tracks at most MAX_ANNOUNCED_PER_PEER per peer, counting every state, and reports the rest', () => {
    const t = new TxRequestTracker();
    t.announce('b', ids(MAX_IN_FLIGHT_PER_PEER)); // b keeps a's timed-out ids alive (rule 8)
    expect(t.announce('a', ids(MAX_ANNOUNCED_PER_PEER - 10)).ignored).toEqual([]);
    expect(t.nextRequests('a', 0)).toHaveLength(MAX_IN_FLIGHT_PER_PEER); // REQUESTED: still counted
    t.expire(REQUEST_TIMEOUT_MS); // and FAILED: still counted
    expect(t.announced('a')).toBe(MAX_ANNOUNCED_PER_PEER - 10);
    const { ignored, overPeerCap } = t.announce('a', ids(25, MAX_ANNOUNCED_PER_PEER - 10));
    expect(ignored).toEqual(ids(15, MAX_ANNOUNCED_PER_PEER));
    expect(overPeerCap).toBe(true);
    expect(t.announced('a')).toBe(MAX_ANNOUNCED_PER_PEER);
    expect(t.announce('c', ids(1)).ignored).toEqual([]); // the bound is per peer
  });

  it('2. tracks any number of peers (40 here), each within its own cap', () => {
    const t = new TxRequestTracker();
    for (let p = 0; p < 40; p++)
      expect(t.announce(`p${p}`, ids(3, p * 10))).toEqual({ ignored: [], overPeerCap: false });
    expect(t.size()).toEqual({ peers: 40, ids: 120, announcements: 120 });
  });

  it('2. tracks at most MAX_ANNOUNCED_TOTAL announcements: past it ids are ignored, not over the peer cap', () => {
    const t = new TxRequestTracker();
    const peers = MAX_ANNOUNCED_TOTAL / MAX_ANNOUNCED_PER_PEER;
    for (let p = 0; p < peers; p++)
      t.announce(`p${p}`, ids(MAX_ANNOUNCED_PER_PEER, p * MAX_ANNOUNCED_PER_PEER));
    expect(t.size().announcements).toBe(MAX_ANNOUNCED_TOTAL);
    expect(t.announce('late', ['ff'.repeat(20)])).toEqual({ ignored: ['ff'.repeat(20)], overPeerCap: false });
    t.peerGone('p0');
    expect(t.announce('late', ['ff'.repeat(20)])).toEqual({ ignored: [], overPeerCap: false });
    expect(t.size().announcements).toBe(MAX_ANNOUNCED_TOTAL - MAX_ANNOUNCED_PER_PEER + 1);
  });

  it('3. never has more than MAX_IN_FLIGHT_PER_PEER requested from a peer', () => {
    const t = new TxRequestTracker();
    t.announce('a', ids(MAX_IN_FLIGHT_PER_PEER * 3));
    expect(t.nextRequests('a', 0)).toEqual(ids(MAX_IN_FLIGHT_PER_PEER));
    expect(t.nextRequests('a', 1)).toEqual([]);
    expect(t.inFlight('a')).toBe(MAX_IN_FLIGHT_PER_PEER);
    for (const id of ids(30)) t.received(id, 'a');
    expect(t.nextRequests('a', 2)).toEqual(ids(30, MAX_IN_FLIGHT_PER_PEER));
    expect(t.inFlight('a')).toBe(MAX_IN_FLIGHT_PER_PEER);
  });

  it('4. requests an id from one peer at a time', () => {
    const t = new TxRequestTracker();
    t.announce('a', ids(5));
    t.announce('b', ids(5));
    const fromA = t.nextRequests('a', 0);
    expect(fromA).toEqual(ids(5));
    expect(t.nextRequests('b', 0)).toEqual([]);
    expect(t.requestedFrom(ids(1)[0]!)).toBe('a');
  });

  it('5. never requests an id twice from the same peer, until it is forgotten and announced again', () => {
    const t = new TxRequestTracker();
    const [x] = ids(1);
    t.announce('a', [x!]);
    t.announce('b', [x!]);
    expect(t.nextRequests('a', 0)).toEqual([x]);
    expect(t.expire(REQUEST_TIMEOUT_MS).timedOut).toEqual([{ peer: 'a', id: x }]);
    t.announce('a', [x!]); // a re-announces: still FAILED at a
    expect(t.nextRequests('a', REQUEST_TIMEOUT_MS)).toEqual([]);
    expect(t.nextRequests('b', REQUEST_TIMEOUT_MS)).toEqual([x]);
    t.received(x!, 'b');
    t.announce('a', [x!]); // forgotten, so a new announcement
    expect(t.nextRequests('a', REQUEST_TIMEOUT_MS)).toEqual([x]);
  });

  it('6. spreads ids over peers: a peer with fewer in flight that keeps asking gets the shared ids', () => {
    const t = new TxRequestTracker();
    t.announce('busy', ids(60, 1000)); // ids only busy has
    expect(t.nextRequests('busy', 0)).toHaveLength(60);
    t.announce('idle', ids(5, 2000));
    expect(t.nextRequests('idle', 0)).toHaveLength(5); // idle asks: 5 in flight
    t.announce('busy', ids(10));
    t.announce('idle', ids(10));
    expect(t.nextRequests('busy', 1)).toEqual([]); // idle has 5 < 60 in flight: left for idle
    expect(t.nextRequests('idle', 1)).toEqual(ids(10));
  });

  it('6. does not wait for a better peer that stopped asking', () => {
    const t = new TxRequestTracker();
    t.announce('busy', ids(60, 1000));
    t.nextRequests('busy', 0);
    t.announce('quiet', ids(1, 2000));
    t.nextRequests('quiet', -REQUEST_TIMEOUT_MS); // asked once, long ago: 1 in flight
    t.announce('quiet', ids(10));
    t.announce('busy', ids(10));
    expect(t.nextRequests('busy', 0)).toEqual(ids(10));
  });

  it('6. spreads two identical inventories over both peers, each up to its bound', () => {
    const t = new TxRequestTracker();
    t.announce('a', ids(1000));
    t.announce('b', ids(1000));
    const a = t.nextRequests('a', 0);
    const b = t.nextRequests('b', 0);
    expect(a).toHaveLength(MAX_IN_FLIGHT_PER_PEER);
    expect(b).toHaveLength(MAX_IN_FLIGHT_PER_PEER);
    expect(new Set([...a, ...b]).size).toBe(2 * MAX_IN_FLIGHT_PER_PEER);
  });

  it('7. a request times out after REQUEST_TIMEOUT_MS and goes to another announcer', () => {
    const t = new TxRequestTracker();
    const [x] = ids(1);
    t.announce('a', [x!]);
    t.announce('b', [x!]);
    t.nextRequests('a', 100);
    expect(t.expire(100 + REQUEST_TIMEOUT_MS - 1)).toEqual({ timedOut: [], dropped: [] });
    expect(t.nextRequests('b', 100 + REQUEST_TIMEOUT_MS - 1)).toEqual([]);
    expect(t.expire(100 + REQUEST_TIMEOUT_MS)).toEqual({ timedOut: [{ peer: 'a', id: x }], dropped: [] });
    expect(t.inFlight('a')).toBe(0);
    expect(t.nextRequests('b', 100 + REQUEST_TIMEOUT_MS)).toEqual([x]);
  });

  it('7. notFound fails one announcement at once', () => {
    const t = new TxRequestTracker();
    const [x] = ids(1);
    t.announce('a', [x!]);
    t.announce('b', [x!]);
    t.nextRequests('a', 0);
    expect(t.notFound('a', x!)).toEqual([]);
    expect(t.nextRequests('b', 1)).toEqual([x]);
    expect(t.notFound('b', x!)).toEqual([x]);
    expect(t.size()).toEqual({ peers: 0, ids: 0, announcements: 0 });
  });

  it('8. drops an id once every announcer timed out or left', () => {
    const t = new TxRequestTracker();
    const [x, y] = ids(2);
    t.announce('a', [x!, y!]);
    t.announce('b', [x!]);
    t.nextRequests('a', 0);
    expect(t.expire(REQUEST_TIMEOUT_MS).dropped).toEqual([y]); // x still has b
    t.nextRequests('b', REQUEST_TIMEOUT_MS);
    expect(t.peerGone('b')).toEqual([x]); // b left with x in flight: a already failed it
    expect(t.size()).toEqual({ peers: 0, ids: 0, announcements: 0 });
  });

  it('9. received forgets the id everywhere and tells an answer from an unasked transaction', () => {
    const t = new TxRequestTracker();
    const [x, y] = ids(2);
    t.announce('a', [x!, y!]);
    t.announce('b', [x!]);
    t.nextRequests('a', 0);
    expect(t.received(x!, 'a')).toBe(true);
    expect(t.received(y!, 'b')).toBe(false); // b was not asked for y
    expect(t.received('ff'.repeat(20), 'a')).toBe(false); // never announced
    expect(t.size()).toEqual({ peers: 0, ids: 0, announcements: 0 });
  });

  it('10. a peer that leaves hands its requests to the other announcers at once', () => {
    const t = new TxRequestTracker();
    t.announce('a', ids(5));
    t.announce('b', ids(5));
    t.nextRequests('a', 0);
    expect(t.peerGone('a')).toEqual([]);
    expect(t.nextRequests('b', 1)).toEqual(ids(5));
    expect(t.peerGone('nobody')).toEqual([]);
  });

  it('11. keeps no state once every peer is gone, with every bound full', () => {
    const t = new TxRequestTracker();
    const peers = MAX_ANNOUNCED_TOTAL / MAX_ANNOUNCED_PER_PEER;
    for (let p = 0; p < peers; p++) {
      t.announce(`p${p}`, ids(MAX_ANNOUNCED_PER_PEER, p * 1000));
      t.nextRequests(`p${p}`, 0);
    }
    expect(t.size().announcements).toBe(MAX_ANNOUNCED_TOTAL);
    t.expire(REQUEST_TIMEOUT_MS); // some FAILED, some dropped
    for (let p = 0; p < peers; p++) t.nextRequests(`p${p}`, REQUEST_TIMEOUT_MS);
    expect(t.size().peers).toBe(peers);
    for (let p = 0; p < peers; p++) t.peerGone(`p${p}`);
    expect(t.size()).toEqual({ peers: 0, ids: 0, announcements: 0 });
  });
});

type Command =
  | { kind: 'announce'; peer: number; ids: number[] }
  | { kind: 'ask'; peer: number }
  | { kind: 'answer'; pick: number }
  | { kind: 'unasked'; id: number; peer: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'gone'; peer: number };

const PEERS = 4;
const UNIVERSE = 400;

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('announce' as const),
    peer: fc.nat(PEERS - 1),
    ids: fc.array(fc.nat(UNIVERSE - 1), { maxLength: 150 }),
  }),
  fc.record({ kind: fc.constant('ask' as const), peer: fc.nat(PEERS - 1) }),
  fc.record({ kind: fc.constant('answer' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('unasked' as const), id: fc.nat(UNIVERSE - 1), peer: fc.nat(PEERS - 1) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.nat(REQUEST_TIMEOUT_MS * 2) }),
  fc.record({ kind: fc.constant('gone' as const), peer: fc.nat(PEERS - 1) }),
);

describe('TxRequestTracker under random runs', () => {
  it('keeps its bounds, and every announced id ends requested-and-received or dropped', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 80 }), (commands) => {
        const t = new TxRequestTracker();
        const universe = ids(UNIVERSE);
        let now = 0;
        /** (peer, id) pairs requested since the id was last forgotten: rule 5. */
        const askedOf = new Set<string>();
        /** Ids announced and not yet received or dropped. */
        const open = new Set<string>();
        /** The model's requests in flight: id → peer. */
        const inFlight = new Map<string, string>();
        const forget = (id: string): void => {
          open.delete(id);
          inFlight.delete(id);
          for (let p = 0; p < PEERS; p++) askedOf.delete(`p${p} ${id}`);
        };
        const ask = (peer: string): void => {
          for (const id of t.nextRequests(peer, now)) {
            expect(askedOf.has(`${peer} ${id}`)).toBe(false); // rule 5
            expect(inFlight.has(id)).toBe(false); // rule 4
            askedOf.add(`${peer} ${id}`);
            inFlight.set(id, peer);
          }
          expect(t.inFlight(peer)).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_PEER); // rule 3
        };
        const expire = (): void => {
          const { timedOut, dropped } = t.expire(now);
          for (const { peer, id } of timedOut) {
            expect(inFlight.get(id)).toBe(peer);
            inFlight.delete(id);
          }
          for (const id of dropped) forget(id);
        };
        for (const c of commands) {
          switch (c.kind) {
            case 'announce': {
              const list = c.ids.map((i) => universe[i]!);
              const { ignored } = t.announce(`p${c.peer}`, list);
              for (const id of list) if (!ignored.includes(id)) open.add(id);
              break;
            }
            case 'ask':
              ask(`p${c.peer}`);
              break;
            case 'answer': {
              const live = [...inFlight];
              if (live.length === 0) break;
              const [id, peer] = live[c.pick % live.length]!;
              expect(t.received(id, peer)).toBe(true); // rule 9: an answer
              forget(id);
              break;
            }
            case 'unasked': {
              const id = universe[c.id]!;
              expect(t.received(id, `p${c.peer}`)).toBe(inFlight.get(id) === `p${c.peer}`);
              forget(id);
              break;
            }
            case 'tick':
              now += c.ms;
              expire();
              break;
            case 'gone':
              for (const [id, peer] of inFlight) if (peer === `p${c.peer}`) inFlight.delete(id);
              for (let p = 0; p < UNIVERSE; p++) askedOf.delete(`p${c.peer} ${universe[p]}`);
              for (const id of t.peerGone(`p${c.peer}`)) forget(id);
              break;
          }
          // The tracker agrees with the model on every request in flight.
          for (let p = 0; p < PEERS; p++) {
            const mine = [...inFlight.values()].filter((peer) => peer === `p${p}`).length;
            expect(t.inFlight(`p${p}`)).toBe(mine);
          }
          for (const [id, peer] of inFlight) expect(t.requestedFrom(id)).toBe(peer);
        }
        // Liveness: peers keep asking and nobody answers; every open id is requested and then dropped.
        for (let round = 0; round < 10_000 && t.size().ids > 0; round++) {
          for (let p = 0; p < PEERS; p++) ask(`p${p}`);
          now += REQUEST_TIMEOUT_MS;
          expire();
        }
        expect(t.size()).toEqual({ peers: 0, ids: 0, announcements: 0 });
        expect([...open]).toEqual([]);
        // And a tracker that still holds state is emptied by every peer leaving (rule 11).
        t.announce('p0', universe.slice(0, 50));
        t.announce('p1', universe.slice(25, 75));
        ask('p0');
        for (let p = 0; p < PEERS; p++) t.peerGone(`p${p}`);
        expect(t.size()).toEqual({ peers: 0, ids: 0, announcements: 0 });
      }),
      { numRuns: 200 },
    );
  });
});

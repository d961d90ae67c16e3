// The signal router's specification (src/net/introductions/signalRouter.ts), sentence by sentence, on
// routers linked in memory with one clock the test moves: offers reach a peer two hops away and the answer
// comes back; ttl is spent per hop; routes are bounded and expire; answers travel only along their route;
// and an honest relay forwarding as fast as offers come never breaks its receiver's bucket.
import { describe, expect, it } from 'vitest';
import {
  decodeSignal,
  encodePeers,
  encodeSignal,
  MAX_SHARED_PEERS,
  MAX_TTL,
  type Signal,
} from '../../../src/net/introductions/introFrames.ts';
import {
  MAX_ROUTES,
  RECEIVE_BURST,
  ROUTE_MS,
  SEND_BURST,
  SEND_PER_SECOND,
  SignalRouter,
} from '../../../src/net/introductions/signalRouter.ts';

const idOf = (n: number) => n.toString(16).padStart(40, '0');
const signalIdOf = (n: number) => n.toString(16).padStart(16, '0');

interface TestNode {
  readonly id: string;
  readonly router: SignalRouter;
  readonly offers: { signal: Signal; via: string }[];
  readonly answers: Signal[];
  /** Problems this node's router reported about frames its peers sent (each would be a disconnect). */
  readonly problems: string[];
  /** Frames this node sent, by peer key. */
  readonly sent: Map<string, Uint8Array[]>;
}

function testNet() {
  let now = 0;
  const clock = () => now;
  const node = (n: number, { answer = false } = {}): TestNode => {
    const router = new SignalRouter(clock);
    const self: TestNode = { id: idOf(n), router, offers: [], answers: [], problems: [], sent: new Map() };
    router.attach(self.id, {
      onOffer: (signal, via) => {
        self.offers.push({ signal, via });
        if (answer) router.sendAnswer(signal, via, `v=0 answer of ${self.id}`);
      },
      onAnswer: (signal) => self.answers.push(signal),
    });
    return self;
  };
  /** Connects two nodes as reading peers: frames one sends the other receives at once. */
  const link = (a: TestNode, b: TestNode) => {
    const atA = `key-${b.id}`;
    const atB = `key-${a.id}`;
    const deliver =
      (from: TestNode, to: TestNode, keyAtTo: string, keyAtFrom: string) => (frame: Uint8Array) => {
        from.sent.set(keyAtFrom, [...(from.sent.get(keyAtFrom) ?? []), frame]);
        const problem = to.router.received(keyAtTo, frame);
        if (problem) to.problems.push(problem);
      };
    a.router.peerReady(atA, b.id, true, deliver(a, b, atB, atA));
    b.router.peerReady(atB, a.id, true, deliver(b, a, atA, atB));
  };
  return { node, link, advance: (ms: number) => (now += ms) };
}

describe('SignalRouter', () => {
  it('shares peer ids, relays an offer to a peer of a peer and brings the answer back (2 frames relayed)', () => {
    const { node, link } = testNet();
    const [newcomer, introducer, target] = [node(1), node(2), node(3, { answer: true })];
    link(newcomer, introducer);
    link(introducer, target);
    introducer.router.tick(); // PEERS to both
    expect(newcomer.router.candidates()).toEqual([target.id]);
    expect(target.router.candidates()).toEqual([newcomer.id]);

    expect(newcomer.router.sendOffer(target.id, signalIdOf(1), 'v=0 offer')).toBe(true);
    expect(target.offers.map(({ signal }) => [signal.from, signal.ttl, signal.sdp])).toEqual([
      [newcomer.id, MAX_TTL - 1, 'v=0 offer'],
    ]);
    expect(newcomer.answers.map((signal) => [signal.from, signal.signalId, signal.sdp])).toEqual([
      [target.id, signalIdOf(1), `v=0 answer of ${target.id}`],
    ]);
    expect(introducer.router.counts.forwarded).toBe(2);
    expect(introducer.router.routeCount).toBe(0); // the answer spent the route
    expect([newcomer, introducer, target].flatMap((n) => n.problems)).toEqual([]);
  });

  it('spends one ttl per hop: an offer reaches a peer three hops away, and no further', () => {
    const { node, link } = testNet();
    const [a, b, c, d] = [node(1), node(2), node(3), node(4, { answer: true })];
    link(a, b);
    link(b, c);
    link(c, d);
    c.router.tick(); // tells B that C is connected to D
    // A → B (ttl 3) → C, which B knows is connected to D (ttl 2) → D (ttl 1); the answer comes back.
    b.router.received(`key-${a.id}`, encodeSignal(offer(a.id, d.id, 1, MAX_TTL)));
    expect(d.offers.map(({ signal }) => signal.ttl)).toEqual([1]);
    expect(a.answers.map((signal) => signal.from)).toEqual([d.id]);
    // The same with ttl 2 from A: B would have to pass it on with 1 to C, which could not reach D.
    b.router.received(`key-${a.id}`, encodeSignal(offer(a.id, d.id, 2, 2)));
    expect(d.offers).toHaveLength(1);
    expect(b.router.counts.dropped).toBe(1);
    // An offer that arrives with ttl 1 for someone else is dropped where it arrives.
    b.router.received(`key-${a.id}`, encodeSignal(offer(a.id, c.id, 3, 1)));
    expect(c.offers).toEqual([]);
    expect(b.router.counts.dropped).toBe(2);
    expect([a, b, c, d].flatMap((n) => n.problems)).toEqual([]);
  });

  it(`holds at most MAX_ROUTES (${MAX_ROUTES}) routes; they expire after ROUTE_MS`, () => {
    const { node, link, advance } = testNet();
    const relay = node(1);
    const targets = Array.from({ length: 40 }, (_, i) => node(100 + i));
    const origins = Array.from({ length: 40 }, (_, i) => node(200 + i));
    for (const peer of [...targets, ...origins]) link(relay, peer);
    let sent = 0;
    // Each origin offers to each target within its send pace; the relay's table fills and then refuses.
    for (let round = 0; sent < MAX_ROUTES + 50; round++) {
      for (const [i, origin] of origins.entries()) {
        const to = targets[(i + round) % targets.length]!;
        relay.router.received(`key-${origin.id}`, encodeSignal(offer(origin.id, to.id, ++sent, MAX_TTL)));
      }
      advance(1000);
    }
    expect(relay.router.routeCount).toBe(MAX_ROUTES);
    expect(relay.router.counts.dropped).toBeGreaterThan(0);
    advance(ROUTE_MS);
    relay.router.tick();
    expect(relay.router.routeCount).toBe(0);
    expect([relay, ...targets, ...origins].flatMap((n) => n.problems)).toEqual([]);
  });

  it('passes an answer on only along its route, from the offer’s target to its origin', () => {
    const { node, link } = testNet();
    const [origin, relay, target, other] = [node(1), node(2), node(3), node(4)];
    link(origin, relay);
    link(relay, target);
    link(relay, other);
    relay.router.received(`key-${origin.id}`, encodeSignal(offer(origin.id, target.id, 7, MAX_TTL)));
    expect(target.offers).toHaveLength(1);
    const answer = (from: TestNode, signalId: number): Uint8Array =>
      encodeSignal({ ...offer(from.id, origin.id, signalId, MAX_TTL), kind: 'answer' });
    relay.router.received(`key-${other.id}`, answer(other, 7)); // not the peer the offer went to
    relay.router.received(`key-${target.id}`, answer(target, 8)); // no such route
    expect(origin.answers).toEqual([]);
    relay.router.received(`key-${target.id}`, answer(target, 7));
    relay.router.received(`key-${target.id}`, answer(target, 7)); // the route is spent
    expect(origin.answers.map((signal) => signal.from)).toEqual([target.id]);
    expect(relay.router.counts.dropped).toBe(3);
  });

  it('an honest relay forwarding offers from many origins as fast as they come never breaks its receiver’s bucket', () => {
    const { node, link, advance } = testNet();
    const relay = node(1);
    const target = node(2);
    link(relay, target);
    const origins = Array.from({ length: 30 }, (_, i) => node(100 + i));
    for (const origin of origins) link(relay, origin);
    let n = 0;
    // 60 s of every origin offering once a second (each within its own pace to the relay): 30 offers a
    // second for the target, far past what the relay may send it. The surplus is dropped at the relay.
    for (let second = 0; second < 60; second++) {
      for (const origin of origins) {
        relay.router.received(`key-${origin.id}`, encodeSignal(offer(origin.id, target.id, ++n, MAX_TTL)));
      }
      advance(1000);
    }
    const delivered = target.offers.length;
    expect(target.problems).toEqual([]);
    expect(delivered).toBeLessThanOrEqual(SEND_BURST + 60 * SEND_PER_SECOND + 1);
    expect(delivered).toBeGreaterThanOrEqual(SEND_BURST + 59 * SEND_PER_SECOND);
    expect(relay.router.counts.dropped).toBe(n - delivered);
    expect(relay.problems).toEqual([]);
  });

  it(`past RECEIVE_BURST (${RECEIVE_BURST}) signals at once, the sender is reported; within it, not`, () => {
    const { node, link } = testNet();
    const [relay, sender] = [node(1), node(2)];
    link(relay, sender);
    const frames = Array.from({ length: RECEIVE_BURST + 1 }, (_, i) =>
      encodeSignal(offer(sender.id, idOf(99), i, MAX_TTL)),
    );
    const problems = frames.map((frame) => relay.router.received(`key-${sender.id}`, frame));
    expect(problems.slice(0, RECEIVE_BURST)).toEqual(Array(RECEIVE_BURST).fill(undefined));
    expect(problems[RECEIVE_BURST]).toBe('sent signals too fast');
  });

  it('a peer that did not say it reads introductions cannot send them; PEERS frames replace each other', () => {
    const { node, link } = testNet();
    const [a, b] = [node(1), node(2)];
    a.router.peerReady('silent', idOf(50), false, () => {});
    expect(a.router.received('silent', encodePeers([idOf(3)]))).toMatch(/did not say/);
    link(a, b);
    a.router.received(`key-${b.id}`, encodePeers([idOf(3), idOf(4)]));
    a.router.received(`key-${b.id}`, encodePeers([idOf(5)]));
    expect(a.router.candidates()).toEqual([idOf(5)]);
    // Never more than MAX_SHARED_PEERS ids go out, and never the recipient's own.
    const many = Array.from({ length: 20 }, (_, i) => node(300 + i));
    for (const peer of many) link(a, peer);
    a.router.tick();
    const told = a.sent.get(`key-${b.id}`)!.at(-1)!;
    expect((told.length - 1) / 20).toBe(MAX_SHARED_PEERS);
    const toMany = a.sent.get(`key-${many[0]!.id}`)!.at(-1)!;
    expect(Buffer.from(toMany).toString('hex')).not.toContain(many[0]!.id);
  });

  it('decodes what it encodes', () => {
    const signal = offer(idOf(1), idOf(2), 3, 2);
    expect(decodeSignal(encodeSignal(signal))).toEqual({ ok: true, value: signal });
  });
});

function offer(from: string, to: string, n: number, ttl: number): Signal {
  return { kind: 'offer', ttl, signalId: signalIdOf(n), from, to, sdp: `v=0 offer ${n}` };
}

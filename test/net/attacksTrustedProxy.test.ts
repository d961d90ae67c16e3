// Issue 16 item 12: behind the reverse proxy of docs/deploy.md every browser was the proxy's address to
// the tracker and the faucet, so the whole network shared one source's sockets and messages. A real
// reverse proxy on loopback (test/support/reverseProxy.ts: node:http, WebSocket upgrades piped over
// node:net, X-Forwarded-For appended) in front of the real tracker and the devnet's faucet: with the
// proxy listed (--trusted-proxy), two clients behind it get separate per-source limits, and what a client
// writes in X-Forwarded-For itself is ignored; without the setting, or through an unlisted proxy, the
// header is ignored and the proxy is one source.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_POLICY } from '../../server/guardTrackerSockets.ts';
import { FAUCET_PATH } from '../../server/networkConfigOf.ts';
import type { Tracker, TrackerLimits } from '../../server/trackerServer.ts';
import { useTestDevnets } from '../server/useTestDevnets.ts';
import { useTestTrackers } from '../server/useTestTrackers.ts';
import { openSocket, randomHex20, type TestSocket } from '../server/wsClient.ts';
import { pollFor } from '../support/pollFor.ts';
import { startReverseProxy, type ReverseProxy } from '../support/reverseProxy.ts';

const PROXY = '127.0.0.50';
const UNLISTED_PROXY = '127.0.0.60';
const ALICE = '127.0.0.11';
const BOB = '127.0.0.12';
const LIMITS: Partial<TrackerLimits> = { socketsPerSource: 2, sourceRate: { burst: 3, perSecond: 0.01 } };

const trackers = useTestTrackers();
const devnets = useTestDevnets();
const proxies: ReverseProxy[] = [];
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.socket.terminate();
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

async function proxyTo(target: string, from: string): Promise<ReverseProxy> {
  const proxy = await startReverseProxy(new URL(target), from);
  proxies.push(proxy);
  return proxy;
}

/** A WebSocket from `from`, optionally with an X-Forwarded-For of its own making. */
async function socketVia(url: string, from: string, spoof?: string): Promise<TestSocket> {
  const s = await openSocket(url, from, spoof ? { 'X-Forwarded-For': spoof } : undefined);
  sockets.push(s);
  return s;
}

/** One HTTP request from `from`: its status and body. */
function httpFrom(
  url: string,
  from: string,
  {
    method = 'GET',
    body,
    headers,
  }: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, localAddress: from, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve([res.statusCode ?? 0, Buffer.concat(chunks).toString('latin1')]));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const escapeHex = (hex: string): string => hex.replace(/../g, '%$&');
function announceUrl(base: string): string {
  return `${base}/announce?info_hash=${escapeHex(randomHex20())}&peer_id=${escapeHex(randomHex20())}&port=6881&left=0&numwant=0`;
}

/** Opens 2 sockets each for Alice and Bob through the proxy (Alice's second claims another address). */
async function twoEach(proxy: ReverseProxy): Promise<TestSocket[]> {
  return [
    await socketVia(proxy.wsUrl, ALICE),
    await socketVia(proxy.wsUrl, ALICE, '203.0.113.7'),
    await socketVia(proxy.wsUrl, BOB),
    await socketVia(proxy.wsUrl, BOB),
  ];
}

/** Settles: the first close code of `s` within 1.5 s, or 'open'. */
function closedOrOpen(s: TestSocket): Promise<number | 'open'> {
  return Promise.race([s.closed, new Promise<'open'>((r) => setTimeout(r, 1500, 'open'))]);
}

/** Three HTTP announces each from Alice then Bob through the proxy: their statuses. */
async function announcesVia(proxy: ReverseProxy): Promise<number[]> {
  const statuses: number[] = [];
  for (const from of [ALICE, ALICE, ALICE, BOB, BOB, BOB])
    statuses.push((await httpFrom(announceUrl(proxy.url), from))[0]);
  return statuses;
}

describe('attack: every browser behind the reverse proxy is one source', () => {
  it('with the proxy listed, two clients behind it have separate socket and request limits', async () => {
    const t: Tracker = await trackers.start({ limits: LIMITS, trustedProxies: [PROXY] });
    const proxy = await proxyTo(t.announceUrl, PROXY);
    const four = await twoEach(proxy);
    expect(await Promise.all(four.map(closedOrOpen))).toEqual(['open', 'open', 'open', 'open']);
    await pollFor('the tracker to count 2 sockets each', () => t.openSocketsFrom(ALICE) === 2);
    expect(t.openSocketsFrom(BOB)).toBe(2);
    expect([t.openSocketsFrom(PROXY), t.openSocketsFrom('203.0.113.7')]).toEqual([0, 0]);
    // Alice's third is over her own limit, and only hers.
    expect(await closedOrOpen(await socketVia(proxy.wsUrl, ALICE))).toBe(CLOSE_POLICY);

    expect(await announcesVia(proxy)).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await httpFrom(announceUrl(proxy.url), ALICE))[0]).toBe(429);
    // The record charges each client its own entries.
    expect([t.record.ownedBy(ALICE), t.record.ownedBy(BOB), t.record.ownedBy(PROXY)]).toEqual([3, 3, 0]);
    // A client that reaches the tracker directly and writes the header itself is its own address.
    const direct = await httpFrom(announceUrl(t.announceUrl.replace('/announce', '')), '127.0.0.13', {
      headers: { 'X-Forwarded-For': PROXY },
    });
    expect(direct[0]).toBe(200);
    expect(t.record.ownedBy('127.0.0.13')).toBe(1);
  });

  for (const [what, listed, via] of [
    ['without the setting', [], PROXY],
    ['through a proxy not listed', [PROXY], UNLISTED_PROXY],
  ] as const) {
    it(`${what}, the forwarded header is ignored: the proxy is one source`, async () => {
      const t = await trackers.start({ limits: LIMITS, trustedProxies: listed });
      const proxy = await proxyTo(t.announceUrl, via);
      const four = await twoEach(proxy);
      expect(await Promise.all(four.map(closedOrOpen))).toEqual(['open', 'open', CLOSE_POLICY, CLOSE_POLICY]);
      expect([t.openSocketsFrom(ALICE), t.openSocketsFrom(BOB)]).toEqual([0, 0]);
      expect(await announcesVia(proxy)).toEqual([200, 200, 200, 429, 429, 429]);
      expect(t.record.ownedBy(via)).toBe(3);
    });
  }

  it('the faucet limits each client behind a listed proxy, and the proxy as one without the setting', async () => {
    const faucetLimits = {
      perAddress: { burst: 10, perMinute: 10 },
      perIp: { burst: 1, perMinute: 1 },
      globalTokens: { burst: 100_000, perMinute: 1000 },
    };
    // A body the faucet refuses (400) costs the per-source request all the same: no payment is mined.
    const ask = async (proxy: ReverseProxy, from: string): Promise<number> =>
      (await httpFrom(`${proxy.url}${FAUCET_PATH}`, from, { method: 'POST', body: '{}' }))[0];
    const listed = await devnets.start({ faucetLimits, trustedProxies: [PROXY] });
    const proxy = await proxyTo(listed.appUrl, PROXY);
    expect([await ask(proxy, ALICE), await ask(proxy, ALICE), await ask(proxy, BOB)]).toEqual([
      400, 429, 400,
    ]);
    await listed.close();

    const unlisted = await devnets.start({ faucetLimits });
    const proxy2 = await proxyTo(unlisted.appUrl, PROXY);
    expect([await ask(proxy2, ALICE), await ask(proxy2, BOB)]).toEqual([400, 429]);
  });
});

// A node page for `npm run bench:net`: the real node (startNode, both workers, the bridge) without the UI,
// plus timing hooks: when this node sent a payment, when it saw one accepted, main-thread stalls, and a
// raw RTCDataChannel to another page as the baseline. Exposes `window.benchNode`.
import { proxy } from 'comlink';
import type { NodeHandle } from '../../src/app/nodeHandle.ts';
import { startNode } from '../../src/app/startNode.ts';

let node: NodeHandle | undefined;
const acceptedAt = new Map<string, number>();
let longestTask = 0;
let longestGap = 0;

// Main-thread responsiveness: long tasks (> 50 ms) as the browser reports them, and the largest delay of
// a 10 ms timer, which also catches shorter stalls.
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
}).observe({ type: 'longtask', buffered: true });
let expected = performance.now() + 10;
setInterval(() => {
  const now = performance.now();
  longestGap = Math.max(longestGap, now - expected);
  expected = now + 10;
}, 10);

// One snapshot at a time, coalescing the changes that arrive meanwhile (as the app's NodeState does).
let watching = false;
let again = false;
async function watch(): Promise<void> {
  if (watching) {
    again = true;
    return;
  }
  watching = true;
  do {
    again = false;
    const snapshot = await node!.ledger.snapshot();
    const now = performance.timeOrigin + performance.now();
    for (const entry of snapshot.history) {
      if (entry.status === 'accepted' && !acceptedAt.has(entry.id)) acceptedAt.set(entry.id, now);
    }
  } while (again);
  watching = false;
}

let raw: RTCPeerConnection | undefined;
let rawChannel: RTCDataChannel | undefined;
const rawLatencies: number[] = [];

const api = {
  async start(): Promise<string> {
    node = await startNode();
    await node.ledger.onChange(proxy(() => void watch()));
    return node.address;
  },
  peers: async () => (await node!.network.status()).peers,
  address: () => node!.address,
  faucet: (tokens: number) => node!.requestFaucet(node!.address, tokens),
  spendable: async () => (await node!.ledger.snapshot()).spendable,
  /** Signs and publishes a payment without mining; returns its id and the wall time just before signing. */
  async pay(to: string, tokens: number): Promise<{ id: string; sentAt: number }> {
    // One part: the bench's faucet payments each cover a whole payment.
    const draft = await node!.ledger.preparePayment({ to, tokens });
    const sentAt = performance.timeOrigin + performance.now();
    const [first] = await node!.ledger.signPayment(
      draft.draftId,
      draft.parts.map(() => null),
    );
    const id = first!.id;
    return { id, sentAt };
  },
  /** Hands the ledger transactions made elsewhere (base64 tx.json); accepted ones are published and seeded. */
  async submitMany(items: string[]): Promise<void> {
    for (const item of items) await node!.ledger.submit(Uint8Array.from(atob(item), (c) => c.charCodeAt(0)));
  },
  seeding: async () => (await node!.network.status()).seeding,
  acceptedAt: (id: string) => acceptedAt.get(id) ?? null,
  connections: () => node!.bridge!.openConnections(),
  stalls: () => ({ longestTask, longestGap }),
  /** Starts the stall measurement afresh (page load and node start are not part of the run). */
  resetStalls: () => {
    longestTask = 0;
    longestGap = 0;
    expected = performance.now() + 10;
  },
  // The raw baseline: a plain RTCDataChannel between two pages' main threads, signaled by the benchmark.
  async rawOffer(): Promise<string> {
    raw = new RTCPeerConnection({ iceServers: [] });
    rawChannel = raw.createDataChannel('raw', { negotiated: true, id: 0 });
    await raw.setLocalDescription(await raw.createOffer());
    await gathered(raw);
    return JSON.stringify(raw.localDescription);
  },
  async rawAnswer(offer: string): Promise<string> {
    raw = new RTCPeerConnection({ iceServers: [] });
    rawChannel = raw.createDataChannel('raw', { negotiated: true, id: 0 });
    rawChannel.onmessage = (event) =>
      rawLatencies.push(performance.timeOrigin + performance.now() - Number(event.data.split(':')[0]));
    await raw.setRemoteDescription(JSON.parse(offer) as RTCSessionDescriptionInit);
    await raw.setLocalDescription(await raw.createAnswer());
    await gathered(raw);
    return JSON.stringify(raw.localDescription);
  },
  async rawConnect(answer: string): Promise<void> {
    await raw!.setRemoteDescription(JSON.parse(answer) as RTCSessionDescriptionInit);
    if (rawChannel!.readyState !== 'open') await new Promise((resolve) => (rawChannel!.onopen = resolve));
  },
  /** Sends `count` 300-byte messages stamped with the send time, 20 ms apart. */
  async rawSend(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      rawChannel!.send(`${performance.timeOrigin + performance.now()}:`.padEnd(300, 'x'));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  },
  rawLatencies: () => rawLatencies,
};

function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) =>
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()),
  );
}

export type BenchNodeApi = typeof api;
(window as unknown as { benchNode: BenchNodeApi }).benchNode = api;

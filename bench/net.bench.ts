// `npm run bench:net`: two browser nodes (headless Chromium, isolated contexts) on a local devnet over
// loopback. A pays B 50 times; prints propagation from A's signing to B's accepted (p50, p95) next to a
// raw RTCDataChannel between the same two pages (the baseline, measured in the same run), the
// RTCPeerConnections each tab holds, and the longest main-thread stall in each tab.
// Targets once connected: p50 ≤ 100 ms, p95 ≤ 300 ms, main-thread task ≤ 50 ms.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWithId, signTx } from '../src/core/makeTx.ts';
import { DEFAULT_FAUCET_LIMITS, FAUCET_MAX_TOKENS } from '../server/faucetRoute.ts';
import { startDevnet } from '../server/startDevnet.ts';
import { pageApi } from '../test/browser/pageApi.ts';
import { launchChromium, newPeerContext } from '../test/support/chromium.ts';
import { startViteHarness } from '../test/support/viteHarness.ts';
import type { BenchNodeApi } from './pages/benchNode.ts';

const PAYMENTS = 50;
const SEEDED = Number(process.env.TTX_BENCH_SEEDED ?? 1000);
const SAMPLE_MS = 20_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

const devnet = await startDevnet({
  port: 0,
  trackerPort: 0,
  dataDir: await mkdtemp(join(tmpdir(), 'ttx-bench-')),
  log: () => {},
  // The bench funds its payments with five of the largest faucet payments at once.
  faucetLimits: { ...DEFAULT_FAUCET_LIMITS, globalTokens: { burst: 5 * FAUCET_MAX_TOKENS, perMinute: 0 } },
});
// The bench pages come from the Vite dev server, which forwards the node's API calls to the devnet.
const vite = await startViteHarness({
  server: { proxy: { '/network.json': devnet.appUrl, '/api': devnet.appUrl } },
});
const browser = await launchChromium();
try {
  const open = async () => {
    const context = await newPeerContext(browser, vite.origin);
    const page = await context.newPage();
    await page.goto(`${vite.origin}/bench/pages/benchNode.html`);
    await page.waitForFunction(() => 'benchNode' in window);
    return pageApi<BenchNodeApi>(page, 'benchNode');
  };
  const [a, b] = await Promise.all([open(), open()]);
  const [, bAddress] = await Promise.all([a.start(), b.start()]);
  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 30000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await waitFor('peers', async () => (await a.peers()) > 0 && (await b.peers()) > 0);
  for (let i = 0; i < 5; i++) await a.faucet(100000);
  await waitFor('faucet tokens', async () => BigInt(await a.spendable()) > 0n);

  await Promise.all([a.resetStalls(), b.resetStalls()]);
  const latencies: number[] = [];
  for (let i = 0; i < PAYMENTS; i++) {
    const { id, sentAt } = await a.pay(bAddress, 1 + i);
    await waitFor(`payment ${i}`, async () => (await b.acceptedAt(id)) !== null);
    latencies.push((await b.acceptedAt(id))! - sentAt);
  }

  const answer = await b.rawAnswer(await a.rawOffer());
  await a.rawConnect(answer);
  await a.rawSend(PAYMENTS);
  await waitFor('raw messages', async () => (await b.rawLatencies()).length >= PAYMENTS);
  const rawLatencies = await b.rawLatencies();

  const [aStalls, bStalls] = await Promise.all([a.stalls(), b.stalls()]);
  const connectionsAfterPayments = [await a.connections(), await b.connections()];

  // Seeding at scale: SEEDED payments from the genesis owner to A, signed here and handed to A's ledger.
  // A is their recipient, so it seeds each as a torrent; its bridged RTCPeerConnections are then
  // sampled for SAMPLE_MS (offers live 50 s: a per-torrent announce with offers would show here).
  const genesisTime = devnet.devnet.genesis.tx.time;
  const aAddress = await a.address();
  const made = Array.from({ length: SEEDED }, (_, i) =>
    Buffer.from(
      encodeWithId(
        signTx(
          {
            tokens: 1,
            to: aAddress,
            key: devnet.devnet.owner.publicKey,
            time: genesisTime + 1 + i,
            prev: devnet.network.genesisId,
          },
          devnet.devnet.secretKey,
        ),
      ).bytes,
    ).toString('base64'),
  );
  for (let i = 0; i < made.length; i += 100) await a.submitMany(made.slice(i, i + 100));
  await waitFor('seeding', async () => (await a.seeding()) >= SEEDED);
  let maxConnections = 0;
  for (const end = Date.now() + SAMPLE_MS; Date.now() < end;) {
    maxConnections = Math.max(maxConnections, await a.connections());
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const seeded = await a.seeding();
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  const rawP50 = percentile(rawLatencies, 50);
  console.log(`payments                     ${PAYMENTS}`);
  console.log(`propagation A→B accepted     p50 ${ms(p50)}  p95 ${ms(p95)}  (targets ≤ 100 ms, ≤ 300 ms)`);
  console.log(`raw RTCDataChannel A→B       p50 ${ms(rawP50)}  p95 ${ms(percentile(rawLatencies, 95))}`);
  console.log(`propagation / raw (p50)      ${(p50 / rawP50).toFixed(1)}`);
  console.log(
    `RTCPeerConnections per tab   A ${connectionsAfterPayments[0]}  B ${connectionsAfterPayments[1]}  after the payments (bridged, incl. pending tracker offers)`,
  );
  console.log(
    `seeding ${seeded} tx torrents   A's most RTCPeerConnections over ${SAMPLE_MS / 1000} s: ${maxConnections}  (target ≤ 30)`,
  );
  console.log(
    `longest main-thread task     A ${ms(aStalls.longestTask)}  B ${ms(bStalls.longestTask)}  (longtask API; 0 = none over 50 ms)`,
  );
  console.log(
    `longest 10 ms-timer delay    A ${ms(aStalls.longestGap)}  B ${ms(bStalls.longestGap)}  (target ≤ 50 ms)`,
  );
} finally {
  await browser.close();
  await vite.close();
  await devnet.close();
}

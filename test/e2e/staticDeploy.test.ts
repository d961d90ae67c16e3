// A deployment run the way docs/deploy.md says, on loopback: a genesis made with the CLI, `torrenttx
// tracker`, the app built for that network (`npm run build -- --network FILE`) and served by a plain
// static server (no devnet code, no headers, no /network.json), and `torrenttx node` started with the
// operator's first payment (made with `torrenttx tx`) to import. In real Chromium, each user its own
// profile: A, paid by the operator, pays B; both close; a newcomer gets the whole history from the node.
// Then joining by invite a network whose tracker is on another host (127.0.0.2) works under the page's
// Content-Security-Policy, and the policy itself lets the page open a WebSocket there while refusing a
// plain request. Any CSP violation a page reports fails the test. (The tracker sockets live in the network
// worker, which a policy in <meta> does not reach: server/contentSecurityPolicy.ts says why.)
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { txIdOf } from '../../src/core/txId.ts';
import { nodeStarted, pay, readStoredLedger, showView, spendable, waitForEntry } from '../support/appPage.ts';
import { launchChromium, newPeerContext } from '../support/chromium.ts';
import { runCli, startCli, type CliProcess } from '../support/cliProcess.ts';
import { pollFor } from '../support/pollFor.ts';
import { startStaticServer, type StaticServer } from '../support/staticServer.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'ttx-static-deploy-'));
const FUNDING = 5000;

interface Network {
  name: string;
  genesisId: string;
  genesisTx: string;
  powUnit: number;
  trackers: string[];
  faucet: null;
}

let tracker: CliProcess;
let node: CliProcess | undefined;
let app: StaticServer;
let browser: Browser;
let network: Network;
let genesisSecret: string;
const processes: CliProcess[] = [];
const contexts: BrowserContext[] = [];
/** CSP violations and uncaught errors of every page (and its workers) opened through userPage. */
const problems: string[] = [];

/** `torrenttx keygen` and `torrenttx genesis` into `folder`; the secret and the network file's content. */
async function makeGenesis(folder: string, name: string, trackers: string[], to?: string) {
  const key = JSON.parse(await runCli('keygen')) as { secretKey: string };
  const out = join(dir, folder);
  await runCli(
    'genesis',
    ...['--secret', key.secretKey, '--tokens', '1000000', '--out', out],
    ...(to === undefined ? [] : ['--to', to]),
  );
  const genesisTx = readFileSync(join(out, 'tx/tx.json'), 'utf8');
  const genesisId = (await runCli('id', join(out, 'tx/tx.json'))).trim();
  const config: Network = { name, genesisId, genesisTx, powUnit: 1, trackers, faucet: null };
  return { secret: key.secretKey, config };
}

function startTracker(host: string): CliProcess {
  const started = startCli('tracker', '--port', '0', '--host', host, '--data', join(dir, `tracker-${host}`));
  processes.push(started);
  return started;
}

async function trackerUrl(started: CliProcess): Promise<string> {
  return (await started.waitFor(/tracker listening: (ws:\/\/\S+)/, 'the tracker listening'))[1]!;
}

async function userPage(): Promise<Page> {
  const context = await newPeerContext(browser, new URL(app.url).origin);
  contexts.push(context);
  // Reported from the page itself: a policy in <meta> is enforced by the page, and reports there.
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`),
    ),
  );
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // Worker messages arrive here too: a worker under a policy that refused a tracker would log it.
  page.on('console', (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) problems.push(m.text());
  });
  return page;
}

/** Waits until the page can spend `tokens`; says what the page and the node saw if that never comes. */
async function waitForBalance(page: Page, tokens: bigint): Promise<void> {
  try {
    await pollFor(`a balance of ${tokens}`, async () => (await spendable(page)) === tokens, 60_000);
  } catch (err) {
    const peers = await page.getByTestId('peer-count').textContent();
    const stored = (await readStoredLedger(page, network.genesisId)).bytes.length;
    throw new Error(`${(err as Error).message}: ${peers} peers, ${stored} stored`);
  }
}

beforeAll(async () => {
  tracker = startTracker('127.0.0.1');
  const made = await makeGenesis('genesis', 'static test net', [await trackerUrl(tracker)]);
  genesisSecret = made.secret;
  network = made.config;
  const networkFile = join(dir, 'network.json');
  writeFileSync(networkFile, JSON.stringify(network, null, 2));
  // `npm run build -- --network FILE --out DIR`, without npm's own start-up.
  await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/build.ts', '--network', networkFile, '--out', join(dir, 'dist')],
    { cwd: ROOT },
  );
  [app, browser] = await Promise.all([startStaticServer(join(dir, 'dist')), launchChromium()]);
}, 90_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await app?.close();
  await Promise.all(processes.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('a network deployed as docs/deploy.md says', () => {
  it('the built page carries its CSP and the network; a bad network file is one line, exit 2', async () => {
    const html = await (await fetch(app.url)).text();
    expect(html).toMatch(
      /^<!doctype html>\s*<html[^>]*>\s*<head>\s*<meta http-equiv="Content-Security-Policy"/i,
    );
    expect(html).toContain('connect-src &#39;self&#39; wss: ws:');
    const bad = join(dir, 'bad-network.json');
    writeFileSync(bad, JSON.stringify({ ...network, genesisId: 'ab'.repeat(20) }));
    const buildFailing = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', ...args], { cwd: ROOT, env }).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
    const cases: [string[], NodeJS.ProcessEnv | undefined, RegExp][] = [
      [
        ['--network', bad],
        undefined,
        /^build: --network .*bad-network\.json: "genesisTx" hashes to [0-9a-f]{40}, not/,
      ],
      [
        [],
        { ...process.env, TORRENTTX_NETWORK: join(dir, 'none.json') },
        /^build: cannot read TORRENTTX_NETWORK .*none\.json \(ENOENT\)/,
      ],
      [['--network'], undefined, /^build: Option '--network <value>' argument missing/],
    ];
    for (const [args, env, message] of cases) {
      const failed = await buildFailing(args, env);
      expect(failed.code, args.join(' ')).toBe(2);
      expect(failed.stderr).toMatch(message);
      expect(failed.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('A, paid by the operator through the node, pays B; both close; a newcomer gets it all from the node', async () => {
    const a = await userPage();
    await a.goto(app.url);
    const aAddress = await nodeStarted(a);
    expect(await a.getByTestId('active-genesis').getAttribute('data-genesis-id')).toBe(network.genesisId);
    // No faucet on this network: the page says where tokens come from instead.
    await showView(a, 'Home');
    await a.getByTestId('no-faucet').waitFor();
    expect(await a.getByRole('button', { name: 'Get devnet tokens' }).count()).toBe(0);

    // The operator pays A from the genesis with the CLI, and the node imports that payment at start.
    const paymentDir = join(dir, 'funding');
    await runCli(
      'tx',
      ...['--secret', genesisSecret, '--to', aAddress, '--tokens', String(FUNDING)],
      ...['--prev', network.genesisId, '--memo', 'from the operator', '--out', paymentDir],
    );
    const fundingTx = readFileSync(join(paymentDir, 'tx/tx.json'));
    const fundingId = txIdOf(fundingTx);
    writeFileSync(join(dir, 'funding.txt'), Buffer.concat([fundingTx, Buffer.from('\n')]));
    node = startCli(
      'node',
      ...['--network', join(dir, 'network.json'), '--data', join(dir, 'node')],
      ...['--import', join(dir, 'funding.txt'), '--no-dht'],
    );
    processes.push(node);
    await node.waitFor(
      /^torrenttx node online .*: \d+ peers, 2 accepted/,
      'the node online with the payment',
    );
    expect(await waitForEntry(a, 'from the operator', 'accepted', 60_000)).toBe(fundingId);
    expect(await spendable(a)).toBeGreaterThanOrEqual(BigInt(FUNDING));

    const b = await userPage();
    await b.goto(app.url);
    const bAddress = await nodeStarted(b);
    const memo = 'paid on a static deployment';
    expect(await pay(a, bAddress, 250, memo)).toContain('accepted');
    const paymentId = await waitForEntry(b, memo, 'accepted', 30_000);
    // The operator's view: the node's status line counts genesis, funding and the payment.
    await node.waitFor(/^status: \d+ peers, 3 accepted/, 'the node to accept the payment');
    await Promise.all([a.context().close(), b.context().close()]);

    const c = await userPage();
    await c.goto(app.url);
    await nodeStarted(c);
    await pollFor(
      'the newcomer to store both payments from the node',
      async () => {
        const ids = (await readStoredLedger(c, network.genesisId)).bytes.map((t) =>
          txIdOf(Buffer.from(t, 'base64')),
        );
        return ids.includes(paymentId) && ids.includes(fundingId);
      },
      60_000,
    );
    expect(app.requested).not.toContain('/network.json');
    expect(problems, problems.join('\n')).toEqual([]);
  }, 150_000);

  it('joining by invite a network whose tracker is on another host works under the page CSP', async () => {
    const [a, b] = [await userPage(), await userPage()];
    await Promise.all([a.goto(app.url), b.goto(app.url)]);
    const [aAddress, bAddress] = await Promise.all([nodeStarted(a), nodeStarted(b)]);
    // Another host (127.0.0.2) and port than the app's and the built network's tracker.
    const elsewhere = startTracker('127.0.0.2');
    const elsewhereUrl = await trackerUrl(elsewhere);
    const { config } = await makeGenesis('elsewhere', 'Elsewhere', [elsewhereUrl], aAddress);
    const invite = `${app.url}#join=${Buffer.from(JSON.stringify(config)).toString('base64url')}`;
    for (const page of [a, b]) {
      await page.goto(invite);
      await page.getByRole('button', { name: 'Join network' }).click();
      await page.waitForFunction(
        (id) =>
          document.querySelector('[data-testid=active-genesis]')?.getAttribute('data-genesis-id') === id,
        config.genesisId,
        { timeout: 20_000 },
      );
    }
    await waitForBalance(a, 1_000_000n);
    const memo = 'paid across hosts';
    expect(await pay(a, bAddress, 40, memo)).toContain('accepted');
    await waitForEntry(b, memo, 'accepted', 30_000);

    // The policy itself: the page may open a WebSocket to that tracker, and is refused plain http there.
    const probe = await (await newPeerContext(browser, new URL(app.url).origin)).newPage();
    contexts.push(probe.context());
    await probe.goto(app.url);
    const outcome = await probe.evaluate(async (ws) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.blockedURI));
      const opened = await new Promise<boolean>((resolve) => {
        const socket = new WebSocket(ws);
        socket.onopen = () => (socket.close(), resolve(true));
        socket.onerror = () => resolve(false);
      });
      const fetched = await fetch(ws.replace(/^ws/, 'http')).then(
        () => 'answered',
        () => 'refused',
      );
      await new Promise((resolve) => setTimeout(resolve, 0)); // violation events are queued as tasks
      return { opened, fetched, violations };
    }, elsewhereUrl);
    expect(outcome).toEqual({
      opened: true,
      fetched: 'refused',
      violations: [elsewhereUrl.replace(/^ws/, 'http').replace(/\/?$/, '/')],
    });
    expect(problems, problems.join('\n')).toEqual([]);
  }, 90_000);
});

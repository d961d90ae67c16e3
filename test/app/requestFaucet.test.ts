// The page's faucet request against the real devnet server: every way it fails reads as one sentence
// (empty, rate-limited with the wait, unreachable, a broken answer), never "Failed to fetch".
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAUCET_FILE } from '../../server/faucet.ts';
import { DEFAULT_FAUCET_LIMITS } from '../../server/faucetRoute.ts';
import { FaucetError, OFFLINE_FAUCET_TEXT, requestFaucet } from '../../src/app/requestFaucet.ts';
import { personNamed } from '../support/testNetwork.ts';
import { useTestDevnets } from '../server/useTestDevnets.ts';

const devnets = useTestDevnets();
const faucetUrl = (appUrl: string): string => new URL('/api/faucet', appUrl).href;

async function failure(promise: Promise<unknown>): Promise<FaucetError> {
  const err = await promise.then(
    () => expect.fail('the faucet paid'),
    (e: unknown) => e as FaucetError,
  );
  expect(err.name).toBe('FaucetError');
  return err;
}

describe('requestFaucet', () => {
  it('returns the payment, then says the faucet is rate-limited and for how long', async () => {
    const devnet = await devnets.start({
      faucetLimits: { ...DEFAULT_FAUCET_LIMITS, perAddress: { burst: 1, perMinute: 1 } },
    });
    const to = personNamed('faucet-page').address;
    expect(JSON.parse(await requestFaucet(faucetUrl(devnet.appUrl), to))).toMatchObject({ to, tokens: 1000 });
    const err = await failure(requestFaucet(faucetUrl(devnet.appUrl), to));
    expect(err.problem).toBe('rate-limited');
    expect(err.message).toMatch(
      /^The faucet is rate-limited: too many faucet requests for this address \(at most 1 a minute\)\. Try again in \d+ s\.$/,
    );
  });

  it('says the faucet is empty', async () => {
    const first = await devnets.start();
    const genesisId = first.network.genesisId;
    await first.close();
    await mkdir(devnets.dataDir, { recursive: true });
    await writeFile(
      join(devnets.dataDir, FAUCET_FILE),
      JSON.stringify({ version: 1, genesisId, left: '0', payments: 1, lastTime: 0 }),
    );
    const devnet = await devnets.start();
    const err = await failure(requestFaucet(faucetUrl(devnet.appUrl), personNamed('faucet-empty').address));
    expect(err.problem).toBe('empty');
    expect(err.message).toBe('The faucet is empty: it has no devnet tokens left to give.');
  });

  it('says the faucet cannot be reached when the server is down', async () => {
    const devnet = await devnets.start();
    const url = faucetUrl(devnet.appUrl);
    await devnet.close();
    const err = await failure(requestFaucet(url, personNamed('faucet-down').address));
    expect(err.problem).toBe('unreachable');
    expect(err.message).toBe(
      'The faucet cannot be reached: the devnet server is not answering. Check that it is running, then try again.',
    );
  });

  it('says the device is offline, not that the server is down, when the browser says it is offline', async () => {
    const devnet = await devnets.start();
    const url = faucetUrl(devnet.appUrl);
    await devnet.close();
    const err = await failure(
      requestFaucet(url, personNamed('faucet-offline').address, undefined, () => false),
    );
    expect(err.problem).toBe('offline');
    expect(err.message).toBe(OFFLINE_FAUCET_TEXT);
    expect(err.message).toMatch(/^You are offline/);
  });

  it('says the faucet is not working when something in between answers with an HTML error page', async () => {
    const proxy = createServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as { port: number };
      const err = await failure(
        requestFaucet(`http://127.0.0.1:${port}/api/faucet`, personNamed('x').address),
      );
      expect(err.problem).toBe('unreachable');
      expect(err.message).toBe(
        'The faucet is not working right now (the server answered 502). Try again later.',
      );
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

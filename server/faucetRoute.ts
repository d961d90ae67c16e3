// POST /api/faucet {"address":"ttx1…","tokens"?:N} → {"id","tx"}: checks the request at the trust
// boundary (size, JSON, address, amount, rates) and says exactly what is wrong, then asks the faucet.
//
// Three limits, each a token bucket, checked in this order (each answers 429 with Retry-After):
// - per source (an IPv4 address or an IPv6 /64, sourceKeyOf; behind a listed reverse proxy the client
//   it forwards, trustedProxies.ts): requests, before the body is read;
// - per address paid: requests;
// - global: tokens handed out, over every source and address, so that many sources asking for many fresh
//   addresses (20 × 10 on loopback took 20,000,000 tokens in a second without it) get at most the global
//   burst, then the global rate. A request refused by a later limit still spent its earlier ones.
import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import { checkAddress } from '../src/core/address.ts';
import { TokenBucket } from '../src/rateLimit/tokenBucket.ts';
import type { Faucet } from './faucet.ts';
import { KeyedRateLimiter, type RateLimit, type RateDecision } from './keyedRateLimiter.ts';
import { sendError, sendJson } from './sendJson.ts';
import { sourceKeyOf } from './sourceKey.ts';
import { TrustedProxies } from './trustedProxies.ts';

export const FAUCET_MAX_BODY = 4 * 1024;
export const FAUCET_DEFAULT_TOKENS = 1000;
export const FAUCET_MAX_TOKENS = 100_000;

export interface FaucetLimits {
  readonly perAddress: RateLimit;
  /** Per source address (IPv6 by /64). */
  readonly perIp: RateLimit;
  /** Tokens over all requests: `burst` at once, then `perMinute`. */
  readonly globalTokens: RateLimit;
}

export const DEFAULT_FAUCET_LIMITS: FaucetLimits = {
  perAddress: { burst: 10, perMinute: 10 },
  perIp: { burst: 10, perMinute: 10 },
  // The largest payment, or 100 default ones, at once; then 100,000 tokens an hour (one default payment
  // every 36 s), whoever asks.
  globalTokens: { burst: FAUCET_MAX_TOKENS, perMinute: 100_000 / 60 },
};

/** What the faucet answers: the payment's id and its exact tx.json text, for the browser to publish. */
export interface FaucetAnswer {
  readonly id: string;
  readonly tx: string;
}

type Request = { ok: true; address: string; tokens: number } | { ok: false; error: string };

function parseRequest(bytes: Buffer): Request {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return { ok: false, error: `the body is not UTF-8 JSON (${(err as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'the body must be a JSON object like {"address":"ttx1…"}' };
  }
  const { address, tokens } = value as { address?: unknown; tokens?: unknown };
  if (typeof address !== 'string') {
    return {
      ok: false,
      error: `"address" must be a ttx1… address, got ${address === undefined ? 'none' : typeof address}`,
    };
  }
  const check = checkAddress(address);
  if (!check.ok) return { ok: false, error: `"address" is not a ttx1… address: ${check.problem}` };
  if (tokens === undefined) return { ok: true, address, tokens: FAUCET_DEFAULT_TOKENS };
  if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 1 || tokens > FAUCET_MAX_TOKENS) {
    return {
      ok: false,
      error: `"tokens" must be an integer from 1 to ${FAUCET_MAX_TOKENS}, got ${JSON.stringify(tokens).slice(0, 40)}`,
    };
  }
  return { ok: true, address, tokens };
}

function sendTooMany(res: ServerResponse, decision: RateDecision & { ok: false }, what: string): void {
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  sendError(res, 429, `too many faucet requests ${what}: try again in ${seconds} s`, {
    'Retry-After': String(seconds),
  });
}

export function createFaucetRoute(
  faucet: Faucet,
  limits: FaucetLimits = DEFAULT_FAUCET_LIMITS,
  now: () => number = Date.now,
  proxies: TrustedProxies = new TrustedProxies(),
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const perAddress = new KeyedRateLimiter(limits.perAddress);
  const perIp = new KeyedRateLimiter(limits.perIp);
  const global = new TokenBucket(limits.globalTokens.burst, limits.globalTokens.perMinute / 60);
  return async (req, res) => {
    if (req.method !== 'POST') {
      sendError(res, 405, 'the faucet takes POST with {"address":"ttx1…"}', { Allow: 'POST' });
      return;
    }
    const ip = perIp.take(sourceKeyOf(proxies.clientOf(req)));
    if (!ip.ok) {
      sendTooMany(res, ip, `from this IP (at most ${limits.perIp.perMinute} a minute)`);
      return;
    }
    let body: Buffer;
    try {
      body = await getRawBody(req, { limit: FAUCET_MAX_BODY, length: req.headers['content-length'] });
    } catch (err) {
      req.resume(); // raw-body stops reading: drain the rest into nowhere while the answer closes the connection
      const tooLarge = (err as { type?: string }).type === 'entity.too.large';
      if (tooLarge)
        sendError(res, 413, `the body is larger than ${FAUCET_MAX_BODY} bytes`, { Connection: 'close' });
      else
        sendError(res, 400, `the request body could not be read: ${(err as Error).message}`, {
          Connection: 'close',
        });
      return;
    }
    const request = parseRequest(body);
    if (!request.ok) {
      sendError(res, 400, request.error);
      return;
    }
    const address = perAddress.take(request.address);
    if (!address.ok) {
      sendTooMany(res, address, `for this address (at most ${limits.perAddress.perMinute} a minute)`);
      return;
    }
    if (!global.take(request.tokens)) {
      const retryAfterMs = global.waitMs(request.tokens);
      const perHour = Math.round(limits.globalTokens.perMinute * 60);
      sendTooMany(res, { ok: false, retryAfterMs }, `from everyone (at most ${perHour} tokens an hour)`);
      return;
    }
    let paid;
    try {
      paid = await faucet.pay(request.address, request.tokens, now());
    } catch (err) {
      sendError(res, 500, `the faucet could not record the payment: ${(err as Error).message}`);
      return;
    }
    if (!paid.ok) {
      sendError(res, 503, paid.error);
      return;
    }
    const answer: FaucetAnswer = {
      id: paid.payment.id,
      tx: new TextDecoder().decode(paid.payment.bytes),
    };
    sendJson(res, 200, answer);
  };
}

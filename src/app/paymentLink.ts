// Payment request links: `…/#pay?to=…&tokens=…&memo=…` for people and QR codes, and the
// `web+ttx:ttx1…?tokens=…&memo=…` URI that the protocol handler hands the page as `#pay?uri=…`.
// Pure text in, text out: src/app/listenForPaymentLinks.ts applies a parsed request to the send form,
// where the user still confirms. A link is untrusted text, so every field is checked here with the
// same limits the protocol sets (PROTOCOL §5.4), and a problem says what was expected and what came.
import { checkAddress } from '../core/address.ts';
import { normalizeAddress } from './addressInput.ts';
import { memoProblem, tokensOfText, tokensProblem } from '../core/fieldProblems.ts';

export const PAYMENT_SCHEME = 'web+ttx';

/** What a link asks for. `tokens` and `memo` are '' when the link leaves them to the payer. */
export interface PaymentRequest {
  readonly to: string;
  readonly tokens: string;
  readonly memo: string;
}

export type PaymentLinkResult = { ok: true; request: PaymentRequest } | { ok: false; problem: string };

/** The fields a link may name; any other parameter is ignored, so later versions can add some. */
const KNOWN_PARAMS = ['to', 'tokens', 'memo', 'uri'] as const;

/** `web+ttx:` then an optional `//` (people write it), the address, an optional query. */
const URI_PATTERN = /^web\+ttx:(?:\/\/)?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i;

/**
 * Checks and normalises a request (an all-capitals address, as QR codes carry it, becomes lowercase;
 * tokens lose leading zeros); used for links read and links made.
 */
export function checkPaymentRequest(request: PaymentRequest): PaymentLinkResult {
  const to = normalizeAddress(request.to);
  const address = checkAddress(to);
  if (!address.ok) return { ok: false, problem: `"to" is not a valid address: ${address.problem}` };
  let tokens = '';
  if (request.tokens !== '') {
    const tokensWrong = tokensProblem(request.tokens);
    if (tokensWrong !== undefined) return { ok: false, problem: `"tokens" ${tokensWrong}` };
    tokens = String(tokensOfText(request.tokens));
  }
  const memoWrong = memoProblem(request.memo);
  if (memoWrong !== undefined) return { ok: false, problem: `"memo" ${memoWrong}` };
  return { ok: true, request: { to, tokens, memo: request.memo } };
}

/** `${base}#pay?to=…&tokens=…&memo=…`, where base is the page's origin and path. Check the request first. */
export function formatPaymentLink(base: string, request: PaymentRequest): string {
  const params = new URLSearchParams({ to: request.to });
  appendOptional(params, request);
  return `${base}#pay?${params}`;
}

/** `web+ttx:ttx1…?tokens=…&memo=…`, the form a protocol handler receives. */
export function formatPaymentUri(request: PaymentRequest): string {
  const params = new URLSearchParams();
  appendOptional(params, request);
  const query = params.toString();
  return `${PAYMENT_SCHEME}:${request.to}${query === '' ? '' : `?${query}`}`;
}

/** True for a location hash that is meant as a payment link (`#pay` or `#pay?…`), valid or not. */
export function isPaymentHash(hash: string): boolean {
  return hash === '#pay' || hash.startsWith('#pay?');
}

/**
 * Reads a payment link in any of its forms: a whole `…#pay?…` URL, a bare `#pay?…` hash (what
 * location.hash holds), `#pay?uri=web%2Bttx%3A…` from the protocol handler, or a `web+ttx:` URI.
 */
export function parsePaymentLink(text: string): PaymentLinkResult {
  const link = text.trim();
  if (/^web\+ttx:/i.test(link)) return parsePaymentUri(link);
  const hashAt = link.indexOf('#');
  const hash = hashAt === -1 ? '' : link.slice(hashAt);
  if (!isPaymentHash(hash)) {
    return {
      ok: false,
      problem: `a payment link ends in "#pay?to=…" or starts with "web+ttx:", got ${quote(link)}`,
    };
  }
  const params = new URLSearchParams(hash.slice('#pay?'.length));
  const repeated = repeatedParam(params);
  if (repeated !== undefined) return { ok: false, problem: repeated };
  const uri = params.get('uri');
  if (uri !== null) {
    // Two recipients in one link would leave the payer to guess which one is meant.
    if (params.has('to')) return { ok: false, problem: 'a payment link holds "uri" or "to", not both' };
    if (!/^web\+ttx:/i.test(uri)) {
      return { ok: false, problem: `"uri" must be a web+ttx: link, got ${quote(uri)}` };
    }
    return parsePaymentUri(uri);
  }
  return checkPaymentRequest({
    to: params.get('to') ?? '',
    tokens: params.get('tokens') ?? '',
    memo: params.get('memo') ?? '',
  });
}

function parsePaymentUri(uri: string): PaymentLinkResult {
  const match = URI_PATTERN.exec(uri);
  if (match === null) return { ok: false, problem: `not a web+ttx: link: ${quote(uri)}` };
  let to: string;
  try {
    to = decodeURIComponent(match[1]!);
  } catch {
    return {
      ok: false,
      problem: `"to" is not a valid address: ${quote(match[1]!)} is not percent-encoded text`,
    };
  }
  const params = new URLSearchParams(match[2] ?? '');
  const repeated = repeatedParam(params);
  if (repeated !== undefined) return { ok: false, problem: repeated };
  return checkPaymentRequest({ to, tokens: params.get('tokens') ?? '', memo: params.get('memo') ?? '' });
}

function appendOptional(params: URLSearchParams, request: PaymentRequest): void {
  if (request.tokens !== '') params.set('tokens', request.tokens);
  if (request.memo !== '') params.set('memo', request.memo);
}

/** A known parameter given twice is refused: which of two amounts the sender meant cannot be known. */
function repeatedParam(params: URLSearchParams): string | undefined {
  for (const name of KNOWN_PARAMS) {
    const count = params.getAll(name).length;
    if (count > 1) return `"${name}" appears ${count} times; a payment link names it once`;
  }
  return undefined;
}

/** Quotes untrusted text for a message, cut short so a huge link cannot flood the page. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

// Payment request links: made and read back unchanged in both forms (…#pay?… and web+ttx:), every
// refusal with the words a payer sees, and text that URL encoding must not bend (unicode, & # ? + =).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkPaymentRequest,
  formatPaymentLink,
  formatPaymentUri,
  isPaymentHash,
  parsePaymentLink,
  type PaymentRequest,
} from '../../src/app/paymentLink.ts';
import { v1 } from '../support/vectors.ts';

const alice = v1.people.alice!.address;
const bob = v1.people.bob!.address;
const BASE = 'https://pay.example/wallet/';
const TRICKY_MEMO = 'lunch & coffee #2? 50% = ☕+🥐 a/b\\c "quoted" <b>x</b>';

function problemOf(text: string): string {
  const result = parsePaymentLink(text);
  if (result.ok) throw new Error(`expected a problem, got ${JSON.stringify(result.request)}`);
  return result.problem;
}

function requestOf(text: string): PaymentRequest {
  const result = parsePaymentLink(text);
  if (!result.ok) throw new Error(result.problem);
  return result.request;
}

describe('formatPaymentLink and parsePaymentLink', () => {
  it('take an address in capitals (bech32 allows it; QR codes use it) as the same address, lowercase', () => {
    expect(requestOf(`${BASE}#pay?to=${alice.toUpperCase()}&tokens=5`)).toEqual({
      to: alice,
      tokens: '5',
      memo: '',
    });
    expect(requestOf(`WEB+TTX:${alice.toUpperCase()}?tokens=5`)).toEqual({
      to: alice,
      tokens: '5',
      memo: '',
    });
  });

  it('make the documented shape: origin and path, then #pay? with URLSearchParams encoding', () => {
    expect(formatPaymentLink(BASE, { to: alice, tokens: '5', memo: 'a b&c' })).toBe(
      `${BASE}#pay?to=${alice}&tokens=5&memo=a+b%26c`,
    );
    expect(formatPaymentLink(BASE, { to: alice, tokens: '', memo: '' })).toBe(`${BASE}#pay?to=${alice}`);
    expect(formatPaymentUri({ to: alice, tokens: '7', memo: '' })).toBe(`web+ttx:${alice}?tokens=7`);
    expect(formatPaymentUri({ to: alice, tokens: '', memo: '' })).toBe(`web+ttx:${alice}`);
  });

  it('round-trip a memo with unicode and the characters that delimit URLs', () => {
    const request = { to: alice, tokens: '123', memo: TRICKY_MEMO };
    const link = formatPaymentLink(BASE, request);
    expect(link.split('#')).toHaveLength(2); // the memo's # is encoded: one fragment only
    expect(requestOf(link)).toEqual(request);
    expect(requestOf(link.slice(link.indexOf('#')))).toEqual(request); // as location.hash holds it
    expect(requestOf(formatPaymentUri(request))).toEqual(request);
  });

  it('round-trip any memo within 280 bytes, any amount and either address (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(alice, bob),
        fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        (to, tokens, memo) => {
          const request = { to, tokens: tokens === undefined ? '' : String(tokens), memo };
          fc.pre(checkPaymentRequest(request).ok);
          expect(requestOf(formatPaymentLink(BASE, request))).toEqual(request);
          expect(requestOf(formatPaymentUri(request))).toEqual(request);
        },
      ),
    );
  });

  it('read the web+ttx: URI the protocol handler passes in #pay?uri=, percent-encoded by the browser', () => {
    const uri = `web+ttx:${alice}?tokens=9&memo=${encodeURIComponent(TRICKY_MEMO)}`;
    const hash = `#pay?uri=${encodeURIComponent(uri)}`;
    expect(requestOf(hash)).toEqual({ to: alice, tokens: '9', memo: TRICKY_MEMO });
    expect(requestOf(`${BASE}${hash}`)).toEqual({ to: alice, tokens: '9', memo: TRICKY_MEMO });
  });

  it('read web+ttx: written by hand: any case of the scheme, a // before the address, no query', () => {
    expect(requestOf(`WEB+TTX:${alice}`)).toEqual({ to: alice, tokens: '', memo: '' });
    expect(requestOf(`web+ttx://${alice}?tokens=2`)).toEqual({ to: alice, tokens: '2', memo: '' });
    expect(requestOf(`  web+ttx:${alice}?memo=hi  `)).toEqual({ to: alice, tokens: '', memo: 'hi' });
  });

  it('ignore parameters they do not know, and treat an empty tokens or memo as absent', () => {
    expect(requestOf(`#pay?to=${alice}&label=shop&tokens=&memo=&amount=99`)).toEqual({
      to: alice,
      tokens: '',
      memo: '',
    });
    expect(requestOf(`web+ttx:${alice}?x=1&tokens=4`)).toEqual({ to: alice, tokens: '4', memo: '' });
  });

  it('drop leading zeros from tokens', () => {
    expect(requestOf(`#pay?to=${alice}&tokens=007`).tokens).toBe('7');
  });
});

describe('parsePaymentLink refuses, saying why', () => {
  const typo = alice.slice(0, 20) + (alice[20] === 'q' ? 'p' : 'q') + alice.slice(21);

  it.each([
    // [what the link holds, the whole problem]
    [
      `${BASE}#send?to=${alice}`,
      `a payment link ends in "#pay?to=…" or starts with "web+ttx:", got "${BASE}#send?to=ttx1…"`,
    ],
    ['hello', 'a payment link ends in "#pay?to=…" or starts with "web+ttx:", got "hello"'],
    ['#pay', '"to" is not a valid address: the address is empty'],
    [`#pay?to=${typo}`, '"to" is not a valid address: checksum does not match — a character is mistyped'],
    [
      `#pay?to=${alice.slice(0, 10).toUpperCase()}${alice.slice(10)}`,
      '"to" is not a valid address: an address is lowercase only',
    ],
    [`#pay?to=btc1${alice.slice(4)}`, '"to" is not a valid address: an address starts with "ttx1"'],
    [
      `#pay?to=${alice.slice(0, -1)}`,
      '"to" is not a valid address: an address has 62 characters, this one has 61',
    ],
    [
      `#pay?to=${alice.slice(0, 10)}b${alice.slice(11)}`,
      '"to" is not a valid address: the address holds a character that bech32m does not use (b, i, o, 1)',
    ],
    [`#pay?to=${alice}&tokens=0`, '"tokens" must be a whole number from 1 to 2^53-1, got "0"'],
    [`#pay?to=${alice}&tokens=1.5`, '"tokens" must be a whole number from 1 to 2^53-1, got "1.5"'],
    [`#pay?to=${alice}&tokens=-3`, '"tokens" must be a whole number from 1 to 2^53-1, got "-3"'],
    [`#pay?to=${alice}&tokens=1e3`, '"tokens" must be a whole number from 1 to 2^53-1, got "1e3"'],
    [`#pay?to=${alice}&tokens=+5`, '"tokens" must be a whole number from 1 to 2^53-1, got " 5"'],
    [
      `#pay?to=${alice}&tokens=9007199254740992`,
      '"tokens" must be a whole number from 1 to 2^53-1, got "9007199254740992"',
    ],
    [`#pay?to=${alice}&memo=${'é'.repeat(141)}`, '"memo" is 282 UTF-8 bytes, at most 280'],
    [
      `#pay?to=${alice}&memo=${encodeURIComponent('☕'.repeat(94))}`,
      '"memo" is 282 UTF-8 bytes, at most 280',
    ],
    [`#pay?to=${alice}&to=${bob}`, '"to" appears 2 times; a payment link names it once'],
    [`#pay?to=${alice}&tokens=1&tokens=100`, '"tokens" appears 2 times; a payment link names it once'],
    [`#pay?to=${alice}&memo=a&memo=b&memo=c`, '"memo" appears 3 times; a payment link names it once'],
    [
      `#pay?uri=${encodeURIComponent(`web+ttx:${alice}`)}&to=${bob}`,
      'a payment link holds "uri" or "to", not both',
    ],
    [
      `#pay?uri=${encodeURIComponent(`bitcoin:${alice}`)}`,
      `"uri" must be a web+ttx: link, got "bitcoin:${alice.slice(0, 32)}…"`,
    ],
    [
      `#pay?uri=${encodeURIComponent(`web+ttx:${typo}?tokens=3`)}`,
      '"to" is not a valid address: checksum does not match — a character is mistyped',
    ],
    [`web+ttx:${alice}?tokens=ten`, '"tokens" must be a whole number from 1 to 2^53-1, got "ten"'],
    [`web+ttx:${alice}?tokens=1&tokens=2`, '"tokens" appears 2 times; a payment link names it once'],
    ['web+ttx:', '"to" is not a valid address: the address is empty'],
    ['web+ttx:%E0%A4%A', '"to" is not a valid address: "%E0%A4%A" is not percent-encoded text'],
  ])('%s', (link, problem) => {
    expect(problemOf(link)).toBe(problem);
  });

  it('keeps a huge link out of the message', () => {
    expect(problemOf('x'.repeat(100_000)).length).toBeLessThan(150);
  });
});

describe('isPaymentHash', () => {
  it('takes #pay and #pay?… only', () => {
    expect(isPaymentHash('#pay')).toBe(true);
    expect(isPaymentHash('#pay?to=x')).toBe(true);
    expect(isPaymentHash('')).toBe(false);
    expect(isPaymentHash('#payment')).toBe(false);
    expect(isPaymentHash('#history')).toBe(false);
  });
});

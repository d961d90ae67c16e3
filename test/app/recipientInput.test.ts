// What the send form's Recipient field makes of text typed, pasted or scanned: a bare address (any case),
// a payment link of this app or of another one, a web+ttx: URI in its forms, broken links with the words
// a payer sees, and things that are none of these (plain text, a shop's web page, half an address).
import { describe, expect, it } from 'vitest';
import { formatPaymentLink, formatPaymentUri } from '../../src/app/paymentLink.ts';
import { otherTextProblem, readRecipientInput } from '../../src/app/recipientInput.ts';
import { v1 } from '../support/vectors.ts';

const alice = v1.people.alice!.address;
const APP = 'https://pay.example/wallet/';
const MEMO = 'lunch & coffee #2? ☕ <b>x</b>';

function read(text: string) {
  return readRecipientInput(text, APP);
}

describe('readRecipientInput', () => {
  it('an address, trimmed, in lowercase or all capitals, is an address', () => {
    expect(read(alice)).toEqual({ kind: 'address', to: alice });
    expect(read(`  ${alice.toUpperCase()}\n`)).toEqual({ kind: 'address', to: alice });
    expect(read('')).toEqual({ kind: 'empty' });
    expect(read('   ')).toEqual({ kind: 'empty' });
  });

  it("this app's payment link gives its address, amount and memo, with no warning", () => {
    const link = formatPaymentLink(APP, { to: alice, tokens: '7', memo: MEMO });
    expect(read(link)).toEqual({
      kind: 'link',
      request: { to: alice, tokens: '7', memo: MEMO },
      otherApp: null,
    });
    // The Receive QR code's link names the address only: the payer chooses the amount.
    expect(read(formatPaymentLink(APP, { to: alice, tokens: '', memo: '' }))).toEqual({
      kind: 'link',
      request: { to: alice, tokens: '', memo: '' },
      otherApp: null,
    });
  });

  it('a link made for another app is read, and says which app it was made for', () => {
    const link = formatPaymentLink('http://127.0.0.1:8000/', { to: alice, tokens: '3', memo: '' });
    expect(read(link)).toEqual({
      kind: 'link',
      request: { to: alice, tokens: '3', memo: '' },
      otherApp: 'http://127.0.0.1:8000/',
    });
    // Same origin, another path: another app too.
    const other = read(formatPaymentLink('https://pay.example/other/', { to: alice, tokens: '', memo: '' }));
    expect(other.kind === 'link' && other.otherApp).toBe('https://pay.example/other/');
  });

  it('a web+ttx: URI, bare or as the protocol handler hands it, is read as a link of no app', () => {
    const uri = formatPaymentUri({ to: alice, tokens: '12', memo: MEMO });
    const expected = { kind: 'link', request: { to: alice, tokens: '12', memo: MEMO }, otherApp: null };
    expect(read(uri)).toEqual(expected);
    expect(read(`WEB+TTX://${alice}?tokens=12&memo=${encodeURIComponent(MEMO)}`)).toEqual(expected);
    expect(read(`${APP}#pay?uri=${encodeURIComponent(uri)}`)).toEqual(expected);
    expect(read(`#pay?to=${alice}&tokens=12&memo=${encodeURIComponent(MEMO)}`)).toEqual(expected);
  });

  it('a broken payment link or URI is refused with the reason, as a sentence', () => {
    const typo = alice.slice(0, -1) + (alice.endsWith('q') ? 'p' : 'q');
    expect(read(`${APP}#pay?to=${typo}&tokens=5`)).toEqual({
      kind: 'bad-link',
      problem:
        'This payment link cannot be used: "to" is not a valid address: checksum does not match — a character is mistyped.',
    });
    expect(read(`web+ttx:${alice}?tokens=1.5`)).toMatchObject({ kind: 'bad-link' });
    expect(read(`${APP}#pay?to=${alice}&tokens=1&tokens=2`)).toEqual({
      kind: 'bad-link',
      problem: 'This payment link cannot be used: "tokens" appears 2 times; a payment link names it once.',
    });
  });

  it('a mistyped or unfinished address keeps the address check’s words', () => {
    const typo = alice.slice(0, -1) + (alice.endsWith('q') ? 'p' : 'q');
    expect(read(typo)).toEqual({
      kind: 'bad-address',
      problem: 'Checksum does not match — a character is mistyped.',
    });
    expect(read(alice.slice(0, 20))).toEqual({
      kind: 'bad-address',
      problem: 'An address has 62 characters, this one has 20.',
    });
  });

  it('text that is no address, link or URI is "other", and the words say what it holds', () => {
    for (const text of ['hello', 'https://shop.example/item/42', 'WIFI:S:home;T:WPA;P:secret;;', '12345']) {
      expect(read(text)).toEqual({ kind: 'other', text });
    }
    expect(otherTextProblem('https://shop.example/item/42', 'QR code')).toBe(
      'This QR code holds "https://shop.example/item/42", not an address (ttx1…) or a payment link.',
    );
    expect(otherTextProblem('x'.repeat(100), 'QR code')).toBe(
      `This QR code holds "${'x'.repeat(40)}…", not an address (ttx1…) or a payment link.`,
    );
    expect(otherTextProblem('hello', 'field')).toBe(
      'Recipient takes an address (ttx1…), a payment link or a web+ttx: link.',
    );
  });
});

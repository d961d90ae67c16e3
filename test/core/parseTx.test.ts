// Checks 1–4 of PROTOCOL §5 on hand-made byte strings: each reason code for the input that earns it.
import { describe, expect, it } from 'vitest';
import { parseTx } from '../../src/core/parseTx.ts';
import { txIdOf, txInfoDict } from '../../src/core/txId.ts';
import { encodeUtf8 } from '../../src/core/utf8.ts';
import { v1 } from '../support/vectors.ts';

const good = v1.transactions.aliceToBob!.text;
const goodObject = JSON.parse(good) as Record<string, unknown>;

function reasonOf(bytes: Uint8Array | string): string {
  const result = parseTx(typeof bytes === 'string' ? encodeUtf8(bytes) : bytes);
  return result.ok ? 'ok' : result.reason;
}

/** Canonical text of an object with one field changed (keys sorted as JCS sorts them). */
function withField(name: string, value: unknown): string {
  const copy: Record<string, unknown> = { ...goodObject, [name]: value };
  return JSON.stringify(Object.fromEntries(Object.entries(copy).sort(([a], [b]) => (a < b ? -1 : 1))));
}

describe('parseTx reason codes', () => {
  it('accepts a vector tx', () => expect(reasonOf(good)).toBe('ok'));
  it('too-large: over 1024 bytes, checked before anything else', () => {
    expect(reasonOf(new Uint8Array(1025).fill(0xff))).toBe('too-large');
    expect(reasonOf(withField('memo', 'x'.repeat(900)))).toBe('too-large');
  });
  it('malformed: not UTF-8', () =>
    expect(reasonOf(new Uint8Array([0x7b, 0xc0, 0xaf, 0x7d]))).toBe('malformed'));
  it('malformed: a byte-order mark', () => expect(reasonOf('\ufeff' + good)).toBe('malformed'));
  it('malformed: not JSON, or not an object', () => {
    expect(reasonOf(good.slice(0, -1))).toBe('malformed');
    expect(reasonOf('[1]')).toBe('malformed');
    expect(reasonOf('null')).toBe('malformed');
    expect(reasonOf('"tx"')).toBe('malformed');
    expect(reasonOf('')).toBe('malformed');
  });
  it('non-canonical: white space, key order, escapes, number forms, trailing newline', () => {
    expect(reasonOf(good + '\n')).toBe('non-canonical');
    expect(reasonOf(good.replace('{', '{ '))).toBe('non-canonical');
    expect(reasonOf(withField('tokens', 300).replace('"tokens":300', '"tokens":3e2'))).toBe('non-canonical');
    expect(reasonOf(withField('tokens', 300).replace('"tokens":300', '"tokens":300.0'))).toBe(
      'non-canonical',
    );
    expect(reasonOf(withField('memo', 'a').replace('"memo":"a"', '"memo":"\\u0061"'))).toBe('non-canonical');
    const reordered = JSON.stringify({ tokens: goodObject.tokens, ...goodObject });
    expect(reasonOf(reordered)).toBe('non-canonical');
  });
  it('non-canonical: a repeated member parses to its last value, so its bytes are not canonical', () => {
    expect(reasonOf(good.replace('{', '{"key":"x",'))).toBe('non-canonical');
  });
  it('non-canonical: integers beyond 2^53 do not survive parsing unchanged', () => {
    expect(reasonOf(withField('tokens', 1).replace('"tokens":1', '"tokens":9007199254740993'))).toBe(
      'non-canonical',
    );
  });
  it('non-canonical: a lone surrogate has no JCS form', () => {
    expect(reasonOf(withField('memo', 'a').replace('"memo":"a"', '"memo":"\\ud800"'))).toBe('non-canonical');
  });
  it('malformed: "__proto__" is an ordinary member, hence an unknown field', () => {
    const text = good.replace('{', '{"__proto__":1,');
    expect(reasonOf(text)).toBe('malformed');
  });
  it.each([
    ['tokens', 0],
    ['tokens', 1.5],
    ['tokens', '300'],
    ['tokens', 2 ** 53],
    ['time', -1],
    ['nonce', -1],
    ['nonce', 0.5],
    ['memo', 7],
    ['memo', 'é'.repeat(141)],
    ['key', (goodObject.key as string).toUpperCase()],
    ['key', 'ab'],
    ['signature', (goodObject.signature as string).slice(2)],
    ['prev', 'ABCDEF'.repeat(6) + 'abcd'],
    ['prev', 5],
    ['to', v1.people.bob!.address.toUpperCase()],
    ['to', v1.people.bob!.address.slice(0, -1) + 'q'],
    ['to', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
    ['extra', true],
  ])('malformed: %s = %j', (name, value) => {
    expect(reasonOf(withField(name, value))).toBe('malformed');
  });
  it('malformed: a missing required field', () => {
    for (const name of ['tokens', 'to', 'key', 'time', 'prev', 'signature']) {
      const { [name]: _dropped, ...rest } = goodObject;
      expect(reasonOf(JSON.stringify(rest)), name).toBe('malformed');
    }
  });
  it('a memo of exactly 280 UTF-8 bytes is fine', () => {
    expect(reasonOf(withField('memo', 'é'.repeat(140)))).toBe('ok');
  });
});

describe('txIdOf on bytes of any size', () => {
  it('hashes each 16 KiB piece of an oversized file (BEP 3)', () => {
    const big = new Uint8Array(16384 * 2 + 1);
    const dict = new TextDecoder('latin1').decode(txInfoDict(big));
    expect(dict).toContain('6:pieces60:');
    expect(txIdOf(big)).toMatch(/^[0-9a-f]{40}$/);
  });
});

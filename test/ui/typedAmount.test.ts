// Amounts typed as the page writes them: the locale's grouping is accepted, anything ambiguous is refused
// in words, and every amount the page formats reads back as the same number (a property).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTypedAmount } from '../../src/ui/typedAmount.ts';

describe('parseTypedAmount', () => {
  it.each([
    ['1000', 'en-US', '1000'],
    ['1,000', 'en-US', '1000'],
    [' 1,234,567 ', 'en-US', '1234567'],
    ['1 000', 'en-US', '1000'],
    ['1.000', 'de-DE', '1000'],
    ['1\u202f000', 'fr-FR', '1000'],
    ['1 000', 'fr-FR', '1000'],
    ["1'000", 'de-CH', '1000'],
    ['12,34,567', 'hi-IN', '1234567'],
    ['1,234,567', 'hi-IN', '1234567'],
  ])('reads %j in %s as %s', (text, locale, digits) => {
    expect(parseTypedAmount(text, locale)).toEqual({ ok: true, digits });
  });

  it.each([
    ['1.5', 'en-US', 'no decimals'],
    ['1.000', 'en-US', 'no decimals'],
    ['1,5', 'de-DE', 'no decimals'],
    ['1,00', 'en-US', 'digit groups look wrong: write it as 1,000'],
    ['1,0000', 'en-US', 'digit groups look wrong'],
    [',100', 'en-US', 'digit groups look wrong'],
    ['1,000 000', 'en-US', 'digit groups look wrong'],
    ['12,34,567', 'en-US', 'digit groups look wrong'],
    ['12abc', 'en-US', 'like 25 or 1,000'],
    ['-5', 'en-US', 'like 25 or 1,000'],
  ])('refuses %j in %s (%s)', (text, locale, problem) => {
    const read = parseTypedAmount(text, locale);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toContain(problem);
  });

  it('reads back every amount the page formats, in several locales', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 2n ** 53n - 1n }),
        fc.constantFrom('en-US', 'de-DE', 'fr-FR', 'de-CH', 'hi-IN', 'ja-JP'),
        (value, locale) => {
          const text = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
          const read = parseTypedAmount(text, locale);
          return read.ok && read.digits === value.toString();
        },
      ),
    );
  });
});

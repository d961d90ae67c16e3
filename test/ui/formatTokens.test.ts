// Token amounts in the locale's digits and separators, exact past 2^53 (tokens are bigints in the
// ledger), from the decimal strings, numbers and bigints the page holds.
import { describe, expect, it } from 'vitest';
import { formatTokens, tokensText } from '../../src/ui/formatTokens.ts';

const digitsOf = (text: string) => text.replace(/\D/gu, '');

describe('formatTokens', () => {
  it('keeps every digit of amounts past 2^53, from strings and bigints alike', () => {
    for (const value of ['9007199254740993', '123456789012345678901234567890', '0', '7']) {
      expect(digitsOf(formatTokens(value))).toBe(value);
      expect(formatTokens(BigInt(value))).toBe(formatTokens(value));
    }
  });

  it('groups thousands as the locale does, and says token or tokens', () => {
    const grouped = new Intl.NumberFormat().format(1000);
    expect(formatTokens(1000)).toBe(grouped);
    expect(tokensText(1)).toBe('1 token');
    expect(tokensText('1000')).toBe(`${grouped} tokens`);
  });
});

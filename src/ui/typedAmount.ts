// An amount as a person types it: digits, optionally grouped the way their locale writes numbers
// ("1,000", "1.000", "1 000", "1'000", "12,34,567"), since the page itself shows amounts that way
// (formatTokens.ts). The grouping must be one the locale writes, or whole groups of three, so "1,00" or
// "1.5" is never silently read as 100 or 15; a decimal part is refused in words, because tokens are whole.

/** What the person typed, as decimal digits, or a sentence saying what is wrong. */
export type TypedAmount =
  { readonly ok: true; readonly digits: string } | { readonly ok: false; readonly problem: string };

/** Spaces of any width stand for each other (fr writes U+202F, people type U+0020). */
const SPACES = /[\s\u00a0\u202f]/gu;
/** Characters people group thousands with, besides the locale's own. */
const COMMON_SEPARATORS = [' ', "'", '’', ',', '.'];

function decimalOf(locale: string | undefined): string {
  const parts = new Intl.NumberFormat(locale).formatToParts(1.5);
  return parts.find((part) => part.type === 'decimal')?.value ?? '.';
}

function groupedByThree(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/gu, separator);
}

export function parseTypedAmount(text: string, locale?: string): TypedAmount {
  const typed = text.trim().replace(SPACES, ' ');
  if (/^\d+$/u.test(typed)) return { ok: true, digits: typed };
  const decimal = decimalOf(locale);
  const separators = new Set(COMMON_SEPARATORS.filter((s) => s !== decimal));
  const used = new Set<string>();
  for (const char of typed) {
    if (char >= '0' && char <= '9') continue;
    if (char === decimal)
      return { ok: false, problem: 'The amount is a whole number of tokens: no decimals.' };
    if (!separators.has(char)) {
      return { ok: false, problem: 'The amount is a whole number of tokens, like 25 or 1,000.' };
    }
    used.add(char);
  }
  const [separator] = used;
  const digits = typed.split(separator!).join('');
  if (used.size === 1 && /^\d+$/u.test(digits)) {
    const asLocaleWrites = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
      .format(BigInt(digits))
      .replace(SPACES, ' ');
    if (typed === asLocaleWrites || typed === groupedByThree(digits, separator!)) return { ok: true, digits };
  }
  // Two kinds of separator, or groups of the wrong size: it could mean another number.
  const example = new Intl.NumberFormat(locale).format(1000);
  return {
    ok: false,
    problem: `The amount's digit groups look wrong: write it as ${example} or without separators.`,
  };
}

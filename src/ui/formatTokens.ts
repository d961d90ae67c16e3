// Token amounts as the person's locale writes numbers ("1,000" or "1.000" or "1 000"). Tokens are whole
// numbers that may pass 2^53 (the ledger's sums are bigints), so decimal strings are formatted as bigints.
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** `value` as a decimal string (a snapshot's amounts), a number or a bigint. */
export function formatTokens(value: string | number | bigint): string {
  return whole.format(typeof value === 'string' ? BigInt(value) : value);
}

/** "1 token", "1,000 tokens". */
export function tokensText(value: string | number | bigint): string {
  return `${formatTokens(value)} ${BigInt(value) === 1n ? 'token' : 'tokens'}`;
}

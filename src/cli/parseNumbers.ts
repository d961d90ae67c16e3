// Strict parsing of numeric and hex CLI arguments, with messages that say what was expected.
import { isLowerHex } from '../core/hex.ts';
import { UsageError } from './usageError.ts';

export function parseInteger(name: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined) throw new UsageError(`--${name} is required`);
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be from ${min} to ${max}, got ${text}`);
  }
  return value;
}

export function parseHex(name: string, text: string | undefined, bytes: number): string {
  if (text === undefined) throw new UsageError(`--${name} is required`);
  if (!isLowerHex(text, bytes)) {
    throw new UsageError(
      `--${name} must be ${bytes * 2} lowercase hex characters, got ${text.length} characters`,
    );
  }
  return text;
}

// The review's one plain line about cost ("Network fee: none (your device works about 3 s)"), and how long
// an amount of work takes in words. The exact figures (branch base in bits, fee per bit, mint per bit)
// stay behind the review's "Fee options"; this line says only what a person decides on: what they pay
// and how long their device works for it.
import { tokensText } from './formatTokens.ts';

/** The review's cost choice: 'fee' signs without mining; a number is the bits mined above each base. */
export type CostChoice = 'fee' | number;

/** What the fee line needs of each part of a payment (src/ledger/ledgerService.ts PaymentPart). */
export interface WorkPart {
  readonly baseBits: number;
  readonly workWithoutMining: number;
}

/**
 * The hashes a choice takes on average: each part is mined to its base plus the extra bits, which takes
 * 2^target hashes on average (the send form mines nothing for a target of 0, nor when paying the fee).
 */
export function expectedHashes(parts: readonly WorkPart[], choice: CostChoice): number {
  if (choice === 'fee') return 0;
  return parts.reduce((sum, part) => {
    const target = part.baseBits + choice;
    return sum + (target === 0 ? 0 : 2 ** target);
  }, 0);
}

/** A duration as a person reads it: "under a second", "about 4 s", "about 3 min", "about 2 h". */
export function durationWords(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.ceil(seconds)} s`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min`;
  return `about ${Math.round(seconds / 3600)} h`;
}

export interface FeeLineInput {
  readonly parts: readonly WorkPart[];
  readonly choice: CostChoice;
  /** The fee if signed without mining (all parts together). */
  readonly feeWithoutWork: bigint;
  /** Minted for the recipient at least, for the extra bits chosen (0 for none). */
  readonly minted: bigint;
  /** This device's mining speed (the pool's, src/app/hashRate.ts); 0 while unknown. */
  readonly hashesPerSecond: number;
}

/** "Network fee: none (your device works about 3 s)", or what the chosen option costs, in words. */
export function feeLine(input: FeeLineInput): string {
  if (input.choice === 'fee') {
    return input.feeWithoutWork > 0n
      ? `Network fee: ${tokensText(input.feeWithoutWork)} (sent at once, your device does no work)`
      : 'Network fee: none (sent at once: this payment needs no work)';
  }
  const hashes = expectedHashes(input.parts, input.choice);
  if (hashes === 0) return 'Network fee: none (this payment needs no work)';
  const works =
    input.hashesPerSecond > 0
      ? `your device works ${durationWords(hashes / input.hashesPerSecond)}`
      : 'your device does some work first';
  const mints = input.minted > 0n ? ` and mints ${tokensText(input.minted)} or more for the recipient` : '';
  return `Network fee: none (${works}${mints})`;
}

// Money explained in words, for the review, the history and the detail: where the recipient gets more
// than was sent (minted by the sender's proof of work, PROTOCOL §6: value = tokens + mint) and where the
// sender pays a fee (burnt: cost = tokens + fee).
import { tokensText } from './formatTokens.ts';

/** Whose proof of work minted tokens, as the sentence names them. */
export type Miner = 'sender' | 'you' | 'faucet';

const MINER_TEXT: Record<Miner, string> = {
  sender: "the sender's",
  you: 'your',
  faucet: "the faucet's",
};

const isPositive = (value: string | null | undefined): value is string =>
  value !== null && value !== undefined && BigInt(value) > 0n;

/** "+3 tokens minted by the sender's proof of work", or null when nothing was minted. */
export function mintWords(mint: string | null | undefined, by: Miner): string | null {
  return isPositive(mint) ? `+${tokensText(mint)} minted by ${MINER_TEXT[by]} proof of work` : null;
}

/**
 * What a transaction did beyond its amount, seen from the wallet: `direction` as in the history ('in'
 * received, 'out' sent, 'self' both, null neither).
 */
export function moneyWords(
  direction: 'in' | 'out' | 'self' | null,
  mint: string | null | undefined,
  fee: string | null | undefined,
): string[] {
  const words: string[] = [];
  if (isPositive(mint)) {
    words.push(
      direction === 'out'
        ? `your proof of work minted ${tokensText(mint)} more for the recipient`
        : mintWords(mint, direction === 'self' ? 'you' : 'sender')!,
    );
  }
  if (isPositive(fee)) {
    const payer = direction === 'out' || direction === 'self' ? 'you paid' : 'the sender paid';
    words.push(`${payer} a fee of ${tokensText(fee)} (burnt), for less work than the branch asks`);
  }
  return words;
}

// The send confirmation in words: how much went to whom, and what the network did with it ("Sent 25 tokens
// to ttx1qqqqqq…abcd. The network accepted it."). The transaction ids stay in the payment's details.
import type { SignedPart } from '../ledger/ledgerService.ts';
import { tokensText } from './formatTokens.ts';

/** An address as the person recognises it: its start and its last four characters. */
export function shortAddress(address: string): string {
  return address.length <= 16 ? address : `${address.slice(0, 10)}…${address.slice(-4)}`;
}

export function sentWords(tokens: number, to: string, parts: readonly SignedPart[]): string {
  const sent = `Sent ${tokensText(tokens)} to ${shortAddress(to)}${parts.length > 1 ? ` in ${parts.length} parts` : ''}.`;
  const refused = parts.findIndex((part) => part.status !== 'accepted');
  if (refused === -1) return `${sent} The network accepted ${parts.length > 1 ? 'all of them' : 'it'}.`;
  const part = parts[refused]!;
  const which = parts.length > 1 ? `Part ${refused + 1} was` : 'It was';
  return `${sent} ${which} not accepted (${part.status}${part.reason ? `: ${part.reason}` : ''}).`;
}

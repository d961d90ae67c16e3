// The send confirmation in words (src/ui/sentWords.ts): what was sent, to whom, and what the network did
// with it; never a bare status and id.
import { describe, expect, it } from 'vitest';
import { sentWords } from '../../src/ui/sentWords.ts';

const TO = 'ttx1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqabcd';
const ID = 'f6fa50bd8543'.padEnd(40, '0');

describe('sentWords', () => {
  it('says how much went to whom, and that the network accepted it', () => {
    expect(sentWords(25, TO, [{ id: ID, status: 'accepted' }])).toBe(
      'Sent 25 tokens to ttx1qqqqqq…abcd. The network accepted it.',
    );
    expect(sentWords(1, TO, [{ id: ID, status: 'accepted' }])).toMatch(/^Sent 1 token to /);
  });

  it('says a payment of several parts was accepted whole, or which part was not and why', () => {
    const parts = [
      { id: ID, status: 'accepted' },
      { id: ID.replace('f', 'e'), status: 'accepted' },
    ];
    expect(sentWords(1500, TO, parts)).toBe(
      'Sent 1,500 tokens to ttx1qqqqqq…abcd in 2 parts. The network accepted all of them.',
    );
    expect(sentWords(1500, TO, [parts[0]!, { id: ID, status: 'invalid', reason: 'overspend' }])).toBe(
      'Sent 1,500 tokens to ttx1qqqqqq…abcd in 2 parts. Part 2 was not accepted (invalid: overspend).',
    );
  });

  it('never shows the transaction id', () => {
    expect(sentWords(25, TO, [{ id: ID, status: 'accepted' }])).not.toContain('f6fa50bd');
  });
});

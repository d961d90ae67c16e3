// Money and errors in words (src/ui/moneyWords.ts, src/ui/problemText.ts): minted tokens are named with
// whose proof of work made them, a fee with who paid it; nothing is said of zero; a failed fetch becomes
// a sentence about the connection; a memo over 280 bytes says by how much.
import { describe, expect, it } from 'vitest';
import { mintWords, moneyWords } from '../../src/ui/moneyWords.ts';
import { memoProblemOf } from '../../src/ui/memoProblemOf.ts';
import { problemText } from '../../src/ui/problemText.ts';

describe('moneyWords', () => {
  it("names the sender's proof of work to the receiver, and yours to the sender", () => {
    expect(moneyWords('in', '3', '0')).toEqual(["+3 tokens minted by the sender's proof of work"]);
    expect(moneyWords('out', '1', null)).toEqual([
      'your proof of work minted 1 token more for the recipient',
    ]);
    expect(moneyWords('self', '2', null)).toEqual(['+2 tokens minted by your proof of work']);
    expect(mintWords('5', 'faucet')).toBe("+5 tokens minted by the faucet's proof of work");
  });

  it('names a fee with who paid it, and says nothing of zero or unknown amounts', () => {
    expect(moneyWords('out', '0', '4')).toEqual([
      'you paid a fee of 4 tokens (burnt), for less work than the branch asks',
    ]);
    expect(moneyWords('in', null, '4')[0]).toMatch(/^the sender paid a fee of 4 tokens/);
    expect(moneyWords('in', '0', '0')).toEqual([]);
    expect(moneyWords(null, null, null)).toEqual([]);
    expect(mintWords('0', 'sender')).toBeNull();
  });
});

describe('problemText', () => {
  it('turns a failed fetch into a sentence about the connection, and keeps the app’s own reasons', () => {
    expect(problemText('get devnet tokens', new TypeError('Failed to fetch'))).toBe(
      'Could not get devnet tokens: the server could not be reached. Check your connection, then try again.',
    );
    const own = Object.assign(new Error('the faucet is empty'), { name: 'FaucetError' });
    expect(problemText('get devnet tokens', own)).toBe('Could not get devnet tokens: the faucet is empty.');
    expect(problemText('load this transaction', new Error('boom'))).toBe(
      'Could not load this transaction: boom. Try again; if it keeps failing, reload the page.',
    );
  });

  it('never shows the store’s LedgerChangedElsewhereError raw: it says another tab changed the wallet', () => {
    const stale = Object.assign(new Error('another tab wrote this ledger; reload to continue'), {
      name: 'LedgerChangedElsewhereError',
    });
    expect(problemText('sign and send the payment', stale)).toBe(
      'Could not sign and send the payment: this wallet was changed in another tab of this browser. Reload this page to continue.',
    );
  });
});

describe('memoProblemOf', () => {
  it('says nothing up to 280 bytes, and past them how long the memo is and how much to cut', () => {
    expect(memoProblemOf('x'.repeat(280))).toBeNull();
    expect(memoProblemOf('é'.repeat(141))).toBe(
      'The memo is 282 bytes; it can hold 280. Shorten it by 2 bytes (most letters take 1, accented ones 2, emoji 4).',
    );
  });
});

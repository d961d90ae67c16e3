// The field checkers every caller shares (src/core/fieldProblems.ts): limits at their edges, the words
// they say, and that the parser rejects exactly what they reject.
import { describe, expect, it } from 'vitest';
import { memoProblem, tokensOfText, tokensProblem } from '../../src/core/fieldProblems.ts';
import { fieldProblem } from '../../src/core/parseTx.ts';
import { MAX_MEMO_BYTES, MAX_SAFE } from '../../src/core/tx.ts';
import { v1 } from '../support/vectors.ts';

describe('tokensProblem', () => {
  it('accepts 1 to 2^53-1, as numbers and as decimal text', () => {
    for (const ok of [1, 2, 1000, MAX_SAFE, '1', '007', String(MAX_SAFE)])
      expect(tokensProblem(ok), `${ok}`).toBeUndefined();
  });

  it('says what came for anything else', () => {
    expect(tokensProblem(0)).toBe('must be a whole number from 1 to 2^53-1, got 0');
    expect(tokensProblem(MAX_SAFE + 1)).toBe('must be a whole number from 1 to 2^53-1, got 9007199254740992');
    expect(tokensProblem(1.5)).toMatch(/got 1\.5$/);
    expect(tokensProblem(Number.NaN)).toMatch(/got NaN$/);
    expect(tokensProblem(-3)).toMatch(/got -3$/);
    for (const text of ['', '0', '1.5', '-3', '1e3', ' 5', '0x10', '9007199254740992']) {
      expect(tokensProblem(text), text).toBe(
        `must be a whole number from 1 to 2^53-1, got ${JSON.stringify(text)}`,
      );
    }
    expect(tokensProblem('9'.repeat(100))).toContain('…');
  });

  it('tokensOfText reads checked text, leading zeros dropped', () => {
    expect(tokensOfText('007')).toBe(7);
    expect(tokensOfText('1e3')).toBeNaN();
  });
});

describe('memoProblem', () => {
  it('counts UTF-8 bytes, not characters, up to MAX_MEMO_BYTES', () => {
    expect(MAX_MEMO_BYTES).toBe(280);
    expect(memoProblem('')).toBeUndefined();
    expect(memoProblem('a'.repeat(280))).toBeUndefined();
    expect(memoProblem('é'.repeat(140))).toBeUndefined();
    expect(memoProblem('a'.repeat(281))).toBe('is 281 UTF-8 bytes, at most 280');
    expect(memoProblem('é'.repeat(141))).toBe('is 282 UTF-8 bytes, at most 280');
  });
});

describe('the parser uses the same checkers (PROTOCOL §5.4)', () => {
  const tx = JSON.parse(v1.transactions[Object.keys(v1.transactions)[0]!]!.text) as Record<string, unknown>;

  it('a field a checker rejects makes the tx malformed with the checker words', () => {
    expect(fieldProblem(tx)).toBeUndefined();
    expect(fieldProblem({ ...tx, tokens: 0 })).toBe(`"tokens" ${tokensProblem(0)}`);
    expect(fieldProblem({ ...tx, tokens: MAX_SAFE + 1 })).toBe(`"tokens" ${tokensProblem(MAX_SAFE + 1)}`);
    expect(fieldProblem({ ...tx, tokens: '5' })).toBe('"tokens" must be a number');
    expect(fieldProblem({ ...tx, memo: 'a'.repeat(281) })).toBe(`"memo" ${memoProblem('a'.repeat(281))}`);
    expect(fieldProblem({ ...tx, memo: 'a'.repeat(280) })).toBeUndefined();
  });
});

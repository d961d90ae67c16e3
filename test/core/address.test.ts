// Addresses (PROTOCOL §3): a mistyped address is never taken, and the message says what is wrong.
import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/core/address.ts';
import { v1 } from '../support/vectors.ts';

const alice = v1.people.alice!.address;

describe('checkAddress', () => {
  it('accepts the vector addresses', () => {
    for (const person of Object.values(v1.people)) expect(checkAddress(person.address).ok).toBe(true);
  });
  it('catches every single-character substitution with the checksum message', () => {
    const charset = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
    for (let i = 4; i < alice.length; i++) {
      const swapped = charset[(charset.indexOf(alice[i]!) + 1) % 32]!;
      const typo = alice.slice(0, i) + swapped + alice.slice(i + 1);
      const result = checkAddress(typo);
      expect(result, typo).toEqual({
        ok: false,
        problem: 'checksum does not match — a character is mistyped',
      });
    }
  });
  it.each([
    ['', 'the address is empty'],
    [alice.toUpperCase(), 'lowercase only'],
    ['btc1' + alice.slice(4), 'starts with "ttx1"'],
    [alice.slice(0, -1), 'has 62 characters, this one has 61'],
    [alice.slice(0, 10) + 'b' + alice.slice(11), 'character that bech32m does not use'],
  ])('says what is wrong with %j', (text, problem) => {
    const result = checkAddress(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(problem);
  });
});

// Restore validation: what a person typing recovery words is told, in order of how useful it is.
import { describe, expect, it } from 'vitest';
import { checkRecoveryWords, suggestRecoveryWord } from '../../src/core/checkRecoveryWords.ts';

const WORDS =
  'abandon amount liar amount expire adjust cage candy arch gather drum bullet absurd math era live bid ' +
  'rhythm alien crouch range attend journey unaware';
const list = WORDS.split(' ');

describe('checkRecoveryWords', () => {
  it('accepts 24 listed words with their checksum, however spaced and cased', () => {
    expect(checkRecoveryWords(WORDS)).toEqual({ ok: true, words: WORDS });
    const messy = `  ${list.slice(0, 12).join('\n').toUpperCase()}\t\t${list.slice(12).join('   ')} \n`;
    expect(checkRecoveryWords(messy)).toEqual({ ok: true, words: WORDS });
  });
  it('asks for the words when there are none', () => {
    expect(checkRecoveryWords('  \n ')).toMatchObject({
      ok: false,
      kind: 'empty',
      count: 0,
      problem: 'enter the 24 recovery words',
    });
  });
  it('names a word that is not in the list, with the listed word it may stand for', () => {
    const typo = [...list];
    typo[6] = 'cagg';
    expect(checkRecoveryWords(typo.join(' '))).toEqual({
      ok: false,
      kind: 'unknown-word',
      count: 24,
      position: 7,
      problem: 'word 7 ("cagg") is not in the BIP39 word list; did you mean "cage"?',
    });
    typo[6] = 'abandn';
    expect(checkRecoveryWords(typo.join(' '))).toMatchObject({
      position: 7,
      problem: 'word 7 ("abandn") is not in the BIP39 word list; did you mean "abandon"?',
    });
    typo[6] = 'zzz';
    expect(checkRecoveryWords(typo.join(' '))).toMatchObject({
      problem: 'word 7 ("zzz") is not in the BIP39 word list',
    });
  });
  it('names an unknown word before counting', () => {
    expect(checkRecoveryWords('abandon bitcoinz')).toMatchObject({ kind: 'unknown-word', position: 2 });
  });
  it('counts the words', () => {
    expect(checkRecoveryWords(list.slice(0, 23).join(' '))).toMatchObject({
      kind: 'count',
      count: 23,
      problem: '24 words are needed, got 23',
    });
    expect(checkRecoveryWords(`${WORDS} abandon`)).toMatchObject({
      kind: 'count',
      problem: '24 words are needed, got 25',
    });
  });
  it('says when the checksum fails: a wrong listed word, or two swapped', () => {
    const message = 'the checksum does not match: a word is wrong or out of order';
    const wrong = [...list];
    wrong[23] = 'abandon';
    expect(checkRecoveryWords(wrong.join(' '))).toMatchObject({ kind: 'checksum', problem: message });
    const swapped = [...list];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(checkRecoveryWords(swapped.join(' '))).toMatchObject({ kind: 'checksum', problem: message });
  });
});

describe('suggestRecoveryWord', () => {
  it('suggests only when the first four letters name one word', () => {
    expect(suggestRecoveryWord('abandn')).toBe('abandon');
    expect(suggestRecoveryWord('ab')).toBeUndefined();
    expect(suggestRecoveryWord('qqqq')).toBeUndefined();
  });
});

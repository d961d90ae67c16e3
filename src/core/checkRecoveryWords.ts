// Checks recovery words typed by a person (the restore form, and the ledger worker again before it
// replaces a wallet). Says what is wrong in words a person can act on: how many words, which word is not
// in the BIP39 English list (and which listed word it may have meant), or that the checksum fails.
import { mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { RECOVERY_WORD_COUNT } from './deriveAccountKey.ts';

export type RecoveryWordsCheck =
  | { readonly ok: true; readonly words: string }
  | {
      readonly ok: false;
      readonly kind: 'empty' | 'count' | 'unknown-word' | 'checksum';
      readonly problem: string;
      /** How many words were typed. */
      readonly count: number;
      /** For 'unknown-word': its position, from 1. */
      readonly position?: number;
    };

const known = new Set(wordlist);

/** Splits typed text into words as BIP39 reads them: NFKD, lowercase, any white space between. */
export function splitRecoveryWords(text: string): string[] {
  const trimmed = text.normalize('NFKD').toLowerCase().trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/u);
}

/**
 * A listed word the typed one may stand for: the only listed word one typing slip away (a letter wrong,
 * missing or extra), else the only one with the same first four letters (BIP39 English words are unique
 * in their first four).
 */
export function suggestRecoveryWord(typed: string): string | undefined {
  if (typed.length < 3) return undefined;
  const near = wordlist.filter((word) => withinOneEdit(typed, word));
  if (near.length === 1) return near[0];
  const prefix = typed.slice(0, 4);
  const matches = prefix.length === 4 ? wordlist.filter((word) => word.startsWith(prefix)) : [];
  return matches.length === 1 ? matches[0] : undefined;
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length < b.length ? a.slice(i) === b.slice(i + 1) : a.slice(i + 1) === b.slice(i);
}

export function isRecoveryWord(word: string): boolean {
  return known.has(word);
}

/** Whether some listed word starts with `prefix`: a word still being typed is not yet a mistake. */
export function startsRecoveryWord(prefix: string): boolean {
  return prefix !== '' && wordlist.some((word) => word.startsWith(prefix));
}

export function checkRecoveryWords(text: string): RecoveryWordsCheck {
  const words = splitRecoveryWords(text);
  const count = words.length;
  if (count === 0) {
    return { ok: false, kind: 'empty', count, problem: `enter the ${RECOVERY_WORD_COUNT} recovery words` };
  }
  // An unknown word first: it says exactly where to look, whatever the count.
  const unknown = words.findIndex((word) => !known.has(word));
  if (unknown >= 0) {
    const word = words[unknown]!;
    const suggestion = suggestRecoveryWord(word);
    return {
      ok: false,
      kind: 'unknown-word',
      count,
      position: unknown + 1,
      problem:
        `word ${unknown + 1} ("${word}") is not in the BIP39 word list` +
        (suggestion === undefined ? '' : `; did you mean "${suggestion}"?`),
    };
  }
  if (count !== RECOVERY_WORD_COUNT) {
    return {
      ok: false,
      kind: 'count',
      count,
      problem: `${RECOVERY_WORD_COUNT} words are needed, got ${count}`,
    };
  }
  const phrase = words.join(' ');
  try {
    mnemonicToEntropy(phrase, wordlist);
  } catch {
    // Every word is listed and there are 24, so only the checksum (the last word's low 8 bits) can fail.
    return {
      ok: false,
      kind: 'checksum',
      count,
      problem: 'the checksum does not match: a word is wrong or out of order',
    };
  }
  return { ok: true, words: phrase };
}

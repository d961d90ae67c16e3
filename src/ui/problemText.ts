// Errors as sentences a person can act on: what could not be done, why in plain words, and what to try.
// Thrown errors reach the page by name and message (comlink carries only those).

const BUILT_IN = new Set(['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'DataCloneError']);
/** Errors whose message is already the whole sentence to show (src/ledger/keyEnvelope.ts). */
const WHOLE_SENTENCE = new Set(['WrongPassphraseError']);

/** "Could not get devnet tokens: the server could not be reached. Check …". */
export function problemText(doing: string, err: unknown): string {
  const { name, message } = err instanceof Error ? err : { name: 'Error', message: String(err) };
  if (WHOLE_SENTENCE.has(name)) return message;
  // fetch() rejects with a TypeError whose message differs per browser ("Failed to fetch",
  // "NetworkError when attempting to fetch resource", "Load failed").
  if (name === 'TypeError' && /fetch|network|load failed/i.test(message)) {
    return `Could not ${doing}: the server could not be reached. Check your connection, then try again.`;
  }
  // The ledger has one writer per browser (src/ledger/ledgerWriterLock.ts); should another tab still
  // have written it (a tab of an older version), this tab's view of it is stale.
  if (name === 'LedgerChangedElsewhereError') {
    return `Could not ${doing}: this wallet was changed in another tab of this browser. Reload this page to continue.`;
  }
  const reason = message.trim() === '' ? 'something went wrong' : message.trim().replace(/[.]$/u, '');
  // The app's own errors (PaymentError, FaucetError, …) say what to change; others get a way out.
  const own = name !== 'Error' && !BUILT_IN.has(name);
  return `Could not ${doing}: ${reason}.${own ? '' : ' Try again; if it keeps failing, reload the page.'}`;
}

// The wallet lock's rules that the page shows as well as the ledger worker enforces (one copy of each):
// what a passphrase must be, the auto-lock choices, and the lock's state as the page sees it.

export const MIN_PASSPHRASE_LENGTH = 8;
/** A bound on what the worker derives from: a pasted novel is not a passphrase. */
export const MAX_PASSPHRASE_LENGTH = 1024;
/** Minutes without use before an unlocked wallet locks itself, unless the person chose otherwise. */
export const AUTO_LOCK_DEFAULT_MINUTES = 15;
/** The auto-lock choices in Accounts & backup; 0 is "never". */
export const AUTO_LOCK_CHOICES: readonly number[] = [1, 5, 15, 60, 240, 0];

/** The lock as the page sees it: no secret, no passphrase. */
export interface LockStatus {
  /** A passphrase seals the wallet's secrets at rest. */
  readonly hasPassphrase: boolean;
  /** Sealed and not unlocked in this tab: signing and the recovery words need the passphrase. */
  readonly locked: boolean;
  /** Minutes without use before the wallet locks itself; 0: never. */
  readonly autoLockMinutes: number;
}

/** What is wrong with a new passphrase, or undefined. */
export function passphraseProblem(passphrase: string): string | undefined {
  const length = [...passphrase].length;
  if (length < MIN_PASSPHRASE_LENGTH) {
    return `a passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters, got ${length}`;
  }
  if (length > MAX_PASSPHRASE_LENGTH) {
    return `a passphrase has at most ${MAX_PASSPHRASE_LENGTH} characters, got ${length}`;
  }
  return undefined;
}

/** What is wrong with an auto-lock choice, or undefined. */
export function autoLockProblem(minutes: number): string | undefined {
  return AUTO_LOCK_CHOICES.includes(minutes)
    ? undefined
    : `auto-lock is one of ${AUTO_LOCK_CHOICES.join(', ')} minutes (0: never), got ${minutes}`;
}

// The steps of the first-run screen (src/ui/FirstRun.svelte) and what moves between them: create or
// restore; a created wallet is offered a passphrase (skippable), then a backup now or later. "finish"
// means the person is done: the page keeps the new wallet and shows it. A restore ends by itself (the
// restored wallet replaces the new one), so it has no finish here.

export type FirstRunStep = 'choose' | 'passphrase' | 'backup-offer' | 'backup' | 'restore';

export type FirstRunEvent =
  | 'create'
  | 'restore'
  | 'passphrase-set'
  | 'passphrase-skipped'
  | 'backup-now'
  | 'backup-later'
  | 'backup-cancelled'
  | 'backup-closed'
  | 'back';

/** What skipping the passphrase means, said plainly where the person chooses. */
export const NO_PASSPHRASE_MEANS =
  'Without a passphrase, anyone who uses this browser profile can spend your tokens.';

/**
 * The step after `event` in `step`, or "finish". `hasPassphrase`: the wallet is sealed already (the
 * person set one, then reloaded before finishing), so Create does not offer it again. An event that
 * does not belong to the step leaves it where it is.
 */
export function nextFirstRunStep(
  step: FirstRunStep,
  event: FirstRunEvent,
  hasPassphrase: boolean,
): FirstRunStep | 'finish' {
  switch (step) {
    case 'choose':
      if (event === 'create') return hasPassphrase ? 'backup-offer' : 'passphrase';
      if (event === 'restore') return 'restore';
      return step;
    case 'passphrase':
      if (event === 'passphrase-set' || event === 'passphrase-skipped') return 'backup-offer';
      if (event === 'back') return 'choose';
      return step;
    case 'backup-offer':
      if (event === 'backup-now') return 'backup';
      if (event === 'backup-later') return 'finish';
      return step;
    case 'backup':
      // Closed after the check passed, or "later" after all: either way the wallet is kept, and Home
      // reminds the person while the words are not backed up.
      if (event === 'backup-closed') return 'finish';
      if (event === 'backup-cancelled') return 'backup-offer';
      return step;
    case 'restore':
      return event === 'back' ? 'choose' : step;
  }
}

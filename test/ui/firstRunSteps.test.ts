// The first-run screen's steps (src/ui/firstRunSteps.ts): every path a person can take from "choose" to
// a kept wallet or a restore, and that an event out of place moves nothing.
import { describe, expect, it } from 'vitest';
import { nextFirstRunStep, type FirstRunEvent, type FirstRunStep } from '../../src/ui/firstRunSteps.ts';

/** Plays `events` from "choose"; returns each step reached. */
function walk(events: FirstRunEvent[], hasPassphrase = false): (FirstRunStep | 'finish')[] {
  const reached: (FirstRunStep | 'finish')[] = [];
  let step: FirstRunStep = 'choose';
  for (const event of events) {
    const next = nextFirstRunStep(step, event, hasPassphrase);
    reached.push(next);
    if (next === 'finish') break;
    step = next;
  }
  return reached;
}

describe('first-run steps', () => {
  it('create, set or skip the passphrase, back up later: finished', () => {
    expect(walk(['create', 'passphrase-skipped', 'backup-later'])).toEqual([
      'passphrase',
      'backup-offer',
      'finish',
    ]);
    expect(walk(['create', 'passphrase-set', 'backup-later'])).toEqual([
      'passphrase',
      'backup-offer',
      'finish',
    ]);
  });

  it('backing up now ends when the flow closes; cancelling it offers the backup again', () => {
    expect(walk(['create', 'passphrase-set', 'backup-now', 'backup-closed'])).toEqual([
      'passphrase',
      'backup-offer',
      'backup',
      'finish',
    ]);
    expect(walk(['create', 'passphrase-skipped', 'backup-now', 'backup-cancelled', 'backup-later'])).toEqual([
      'passphrase',
      'backup-offer',
      'backup',
      'backup-offer',
      'finish',
    ]);
  });

  it('a wallet already sealed (reloaded mid-way) is not offered a passphrase again', () => {
    expect(walk(['create'], true)).toEqual(['backup-offer']);
  });

  it('restore, and back to the choice from restore or passphrase', () => {
    expect(walk(['restore', 'back', 'create', 'back'])).toEqual([
      'restore',
      'choose',
      'passphrase',
      'choose',
    ]);
  });

  it('an event out of place moves nothing', () => {
    expect(nextFirstRunStep('choose', 'backup-later', false)).toBe('choose');
    expect(nextFirstRunStep('passphrase', 'backup-now', false)).toBe('passphrase');
    expect(nextFirstRunStep('backup-offer', 'passphrase-skipped', false)).toBe('backup-offer');
    expect(nextFirstRunStep('backup', 'create', false)).toBe('backup');
    expect(nextFirstRunStep('restore', 'create', false)).toBe('restore');
  });
});

// `npm start` (after `vite build`): runs the local devnet — tracker, genesis, faucet and the app server —
// until SIGINT or SIGTERM, then closes both servers and writes the tracker record. Failures the user can
// fix (a port in use, a bad flag, a foreign file in the data folder) print one line, no stack trace.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseServerArgs, USAGE } from './parseServerArgs.ts';
import { DEVNET_DEFAULTS, startDevnet, type RunningDevnet } from './startDevnet.ts';

/** Errors whose message is the whole story; anything else is a bug and shows its stack. */
const USER_ERRORS = new Set(['ListenError', 'DataFileError']);
/** A second SIGINT or SIGTERM sooner than this after the first is the same stop, relayed. */
const REPEAT_SIGNAL_MS = 1000;

async function main(): Promise<number> {
  let args;
  try {
    args = parseServerArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if ((err as Error).name !== 'UsageError') throw err;
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const distDir = args.options.distDir ?? DEVNET_DEFAULTS.distDir;
  if (!existsSync(join(distDir, 'index.html'))) {
    console.error(`${distDir} holds no built app: run \`npm run build\` first (the API runs meanwhile)`);
  }

  let devnet: RunningDevnet;
  try {
    devnet = await startDevnet(args.options);
  } catch (err) {
    if (!USER_ERRORS.has((err as Error).name)) throw err;
    console.error((err as Error).message);
    return 1;
  }
  let stopped!: () => void;
  const closed = new Promise<void>((resolve) => (stopped = resolve));
  let stoppingSince: number | undefined;
  const stop = (signal: string): void => {
    if (stoppingSince !== undefined) {
      // One Ctrl-C can arrive twice: the terminal signals the whole process group, and a launcher in it
      // may relay the same signal (tsx's CLI does when this process is slow to tell it the signal was
      // handled). Only a signal a person sends again later means "stop waiting".
      if (performance.now() - stoppingSince < REPEAT_SIGNAL_MS) return;
      console.error(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stoppingSince = performance.now();
    console.log(`${signal}: closing the devnet`);
    devnet.close().then(stopped, (err: unknown) => {
      console.error(`closing failed: ${(err as Error).message}`);
      process.exitCode = 1;
      stopped();
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Said only once a signal is handled: a Ctrl-C right after it closes the devnet properly (printed
  // before, a process descheduled between the two lines died of the signal's default action: seen in CI).
  console.log(`TorrentTX devnet running: ${devnet.appUrl}  (tracker ${devnet.trackerUrls.join(' ')})`);
  await closed;
  return process.exitCode === 1 ? 1 : 0;
}

// Exit explicitly: a browser tab's lingering connection must not keep a closed devnet alive.
process.exit(await main());

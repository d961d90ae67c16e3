// The `torrenttx` command as an operator runs it, for tests: a child process whose output is kept, with a
// wait for a line that matches, and SIGTERM to stop it. One-shot commands (keygen, genesis, tx) run to
// their end through `runCli`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const TORRENTTX_BIN = join(import.meta.dirname, '../../bin/torrenttx.js');

const run = promisify(execFile);

/** Runs `torrenttx ARGS` to its end and returns its stdout; throws with its stderr when it fails. */
export async function runCli(...args: string[]): Promise<string> {
  return (await run(process.execPath, [TORRENTTX_BIN, ...args])).stdout;
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Waits until a line matches `pattern` (checked on what was printed already, too); returns the match. */
  waitFor(pattern: RegExp, what: string, ms?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

export function startCli(...args: string[]): CliProcess {
  const child = spawn(process.execPath, [TORRENTTX_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    waitFor(pattern, what, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.split('\n').reduce<RegExpExecArray | null>((m, l) => m ?? pattern.exec(l), null);
          if (match) finish(() => resolve(match));
          else if (child.exitCode !== null) {
            finish(() => reject(new Error(`torrenttx ${args[0]} exited before ${what}:\n${out}`)));
          }
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`timed out waiting for ${what}:\n${out}`))),
          ms,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', check);
          settle();
        };
        waiters.add(check);
        child.on('exit', check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

// Chromium on a profile folder of the test's own that the test can kill like a crash: SIGKILL to the
// browser's whole process group, no shutdown of any kind, then launched again on the same folder. Playwright
// hides the process of a persistent context, so this starts Chromium itself (same flags as
// test/support/chromium.ts, headless, DevTools on a port the OS picks) and connects over CDP.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

export interface KillableChromium {
  readonly browser: Browser;
  /** The profile's one context (pages of it are one person's tabs). */
  readonly context: BrowserContext;
  /** SIGKILL to the browser and every process it started; resolves once the browser process is gone. */
  kill(): Promise<void>;
}

export async function launchKillableChromium(profileDir: string, origin: string): Promise<KillableChromium> {
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [
      ...CHROMIUM_ARGS,
      '--headless',
      '--remote-debugging-port=0',
      `--user-data-dir=${profileDir}`,
      'about:blank',
    ],
    // A process group of its own, so that one kill reaches the renderers and utility processes too.
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}) before DevTools listened`)));
    for (const stream of [child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        const found = /DevTools listening on (ws:\/\/\S+)/u.exec(line);
        if (found) resolve(found[1]!);
      });
    }
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0]!;
  // As newPeerContext: without it, headless Chromium over loopback gathers no usable ICE candidates.
  await context.grantPermissions(['camera', 'microphone'], { origin });
  return {
    browser,
    context,
    async kill() {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

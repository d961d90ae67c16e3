// Real Chromium for browser tests: the Debian build driven by playwright-core, kept on loopback, and
// isolated contexts that act as separate users whose WebRTC can actually connect to each other.
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a quiet, loopback-only browser: no sandbox (CI runs as root), no QUIC or background
 * traffic, and WebRTC allowed to pair loopback candidates (Chromium drops them by default).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
];

/** RTCConfiguration for test pages: no STUN servers, so ICE gathers host candidates and asks no one. */
export const LOOPBACK_RTC_CONFIG = { iceServers: [] } as const;

/**
 * Launches Chromium with a fresh profile (playwright's launch() makes a temporary one); `extraArgs` add
 * flags for one test's browser (a fake camera, say).
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * A new isolated context (its own storage, its own "user") for pages served from `origin`. Camera and
 * microphone permission matter to the network, not to media: without it Chromium hides host
 * addresses behind mDNS names and, headless over loopback, gathers no usable ICE candidates at all.
 */
export async function newPeerContext(browser: Browser, origin: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.grantPermissions(['camera', 'microphone'], { origin });
  return context;
}

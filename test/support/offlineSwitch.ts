// Takes a browser context offline and back the way a person's browser goes, and keeps it offline across
// new documents. Playwright's `context.setOffline` sends `Network.emulateNetworkConditions` once per page;
// Chromium 150 drops that emulated state at every new document (after a reload `navigator.onLine` is true
// again while the network itself stays cut), so a test that reloads offline would see a page that believes
// it is online. `Network.overrideNetworkState`, sent from a CDP session that stays open and sent again on
// each new document of the page, does hold; closing the session drops it. So while the context is offline
// every page of it gets such a session, and going online sends the online state and closes them all.
import type { BrowserContext, CDPSession, Frame, Page } from 'playwright-core';

const OFFLINE_STATE = { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
const ONLINE_STATE = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };

interface HeldPage {
  readonly session: CDPSession;
  readonly onNavigated: (frame: Frame) => void;
}

export class OfflineSwitch {
  private offline = false;
  private readonly held = new Map<Page, HeldPage>();
  private readonly onPage = (page: Page) => void this.hold(page).catch(() => {});

  constructor(private readonly context: BrowserContext) {}

  get isOffline(): boolean {
    return this.offline;
  }

  /** Cuts the context's network and holds every page (and every page opened later) offline. */
  async goOffline(): Promise<void> {
    if (this.offline) return;
    this.offline = true;
    await this.context.setOffline(true);
    this.context.on('page', this.onPage);
    await Promise.all(this.context.pages().map((page) => this.hold(page)));
  }

  /** Restores the network; safe to call when already online (an afterEach calls it unconditionally). */
  async goOnline(): Promise<void> {
    if (!this.offline) return;
    this.offline = false;
    this.context.off('page', this.onPage);
    const held = [...this.held];
    this.held.clear();
    for (const [page, { session, onNavigated }] of held) {
      page.off('framenavigated', onNavigated);
      // The page or the whole context may be closed already: then there is nothing left to restore.
      await session.send('Network.overrideNetworkState', ONLINE_STATE).catch(() => {});
      await session.detach().catch(() => {});
    }
    await this.context.setOffline(false).catch(() => {});
  }

  private async hold(page: Page): Promise<void> {
    if (this.held.has(page) || page.isClosed()) return;
    const session = await this.context.newCDPSession(page);
    const apply = () => session.send('Network.overrideNetworkState', OFFLINE_STATE);
    const onNavigated = (frame: Frame) => {
      if (frame === page.mainFrame() && this.offline) void apply().catch(() => {});
    };
    this.held.set(page, { session, onNavigated });
    page.on('framenavigated', onNavigated);
    await session.send('Network.enable');
    await apply();
  }
}

// Bridge to the service worker that vite-plugin-pwa generates. With registerType 'prompt' a new
// version waits until the user agrees, so the page never changes under an open wallet.
import { registerSW } from 'virtual:pwa-register';

export class ServiceWorkerUpdate {
  /** A new version is installed and waiting for the user to reload. */
  needRefresh = $state(false);
  /** The app's files are cached and it works offline. */
  offlineReady = $state(false);

  readonly #update: (reloadPage?: boolean) => Promise<void>;

  constructor() {
    this.#update = registerSW({
      onNeedRefresh: () => {
        this.needRefresh = true;
      },
      onOfflineReady: () => {
        this.offlineReady = true;
      },
    });
  }

  /** Activates the waiting service worker; the page reloads once it controls the page. */
  reload(): Promise<void> {
    return this.#update(true);
  }

  dismiss(): void {
    this.needRefresh = false;
    this.offlineReady = false;
  }
}

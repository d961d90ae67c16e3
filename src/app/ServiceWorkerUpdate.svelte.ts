// Bridge to the service worker that vite-plugin-pwa generates. With registerType 'prompt' a new
// version waits until the user agrees, so the page never changes under an open wallet.
import { registerSW } from 'virtual:pwa-register';

/** Set once the person was told the app is saved on this device: said once, not on every install. */
const OFFLINE_READY_TOLD = 'torrenttx-offline-ready-told';

export class ServiceWorkerUpdate {
  /** A new version is installed and waiting for the user to reload. */
  needRefresh = $state(false);
  /** The app's files are saved on this device, so it opens without a connection (said once). */
  offlineReady = $state(false);

  readonly #update: (reloadPage?: boolean) => Promise<void>;

  constructor() {
    this.#update = registerSW({
      onNeedRefresh: () => {
        this.needRefresh = true;
      },
      onOfflineReady: () => {
        if (localStorage.getItem(OFFLINE_READY_TOLD) !== null) return;
        localStorage.setItem(OFFLINE_READY_TOLD, String(Date.now()));
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

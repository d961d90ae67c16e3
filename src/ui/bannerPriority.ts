// Which one notice the page shows above (or below) the wallet, besides the lock bar: several at once
// stacked into a wall the person reads none of. The first that has something to say wins:
//   payment-link  the answer to what the person just did (a link filled the form, or was refused);
//   offline       nothing reaches the network: what is shown is what this device stored;
//   other-tab     this tab works through another tab of the browser;
//   update        a new version is ready, or the app is now saved on this device;
//   sync          catching up with the network (the wallet works meanwhile).
// A notice held back comes back once those before it have gone.

export type Banner = 'payment-link' | 'offline' | 'other-tab' | 'update' | 'sync';

export const BANNER_PRIORITY: readonly Banner[] = ['payment-link', 'offline', 'other-tab', 'update', 'sync'];

/** The banner to show of those that have something to say, or null. */
export function bannerToShow(wanted: Readonly<Partial<Record<Banner, boolean>>>): Banner | null {
  return BANNER_PRIORITY.find((banner) => wanted[banner] === true) ?? null;
}

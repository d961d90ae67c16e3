// The wallet's views and their URL hashes (`#/activity`). They share the hash with payment links
// (`#pay?…`, which open Send; src/app/listenForPaymentLinks.ts) and invite links (`#join=…`, shown over
// Home). Pure: src/app/route.svelte.ts keeps the current view.
export const VIEWS = ['home', 'send', 'receive', 'activity', 'accounts', 'network'] as const;
export type View = (typeof VIEWS)[number];

/** The hash that shows `view`. */
export function hashOf(view: View): string {
  return view === 'home' ? '#/' : `#/${view}`;
}

/** The view a hash shows: its own route, Send for a payment link, else Home. */
export function viewOfHash(hash: string): View {
  if (hash.startsWith('#pay?')) return 'send';
  const name = hash.startsWith('#/') ? hash.slice(2) : '';
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'home';
}

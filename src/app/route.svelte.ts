// Which view of the wallet is shown, kept in the URL's hash (`#/activity`) so that the back button, a
// reload and a shared link land on the same view. It shares the hash with payment links (`#pay?…`, which
// open Send; src/app/listenForPaymentLinks.ts) and invite links (`#join=…`, shown over Home).
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

class Route {
  view = $state<View>(viewOfHash(location.hash));
  /** Bumped when the person navigated (a link, back, forward): the page then moves focus to the view. */
  navigations = $state(0);

  constructor() {
    addEventListener('hashchange', () => {
      const next = viewOfHash(location.hash);
      if (next === this.view) return;
      this.view = next;
      this.navigations++;
    });
  }

  /** Shows `view` in place of the current entry (no new history entry, no focus move): for the page's own moves. */
  show(view: View): void {
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hashOf(view)}`);
    this.view = view;
  }
}

export const route = new Route();

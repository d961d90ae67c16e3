// Which view of the wallet is shown, kept in the URL's hash (src/app/routes.ts) so that the back button,
// a reload and a shared link land on the same view.
import { viewOfHash, hashOf, type View } from './routes.ts';

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

// How the node reaches the network, in a few words: "3 peers", "Looking for peers", "Offline", "No peers";
// and each tracker in one word that the node's own announce decides.
import type { ConnectivityState } from '../app/connectivity.svelte.ts';
import type { TrackerAnnounceState } from '../net/trackerReconnect.ts';
import type { TrackerState } from '../net/trackerScraper.ts';

export function connectivityText(state: ConnectivityState, peers: number): string {
  if (state === 'connected') return `${peers} peer${peers === 1 ? '' : 's'}`;
  if (state === 'looking') return 'Looking for peers';
  return state === 'offline' ? 'Offline' : 'No peers';
}

export interface TrackerWord {
  readonly url: string;
  readonly state: 'reachable' | 'connecting' | 'lost' | 'unreachable';
  readonly text: string;
}

/**
 * One word per configured tracker. The node's announce (src/net/trackerReconnect.ts) is what finds peers,
 * so it decides: announced is reachable, a lost announce is lost even while the scraper's own socket is
 * still open. Before the node announces, the scraper's socket (src/net/trackerScraper.ts) is all there is.
 */
export function trackerWords(
  urls: readonly string[],
  announces: readonly TrackerAnnounceState[],
  scrapers: readonly { readonly url: string; readonly state: TrackerState }[],
): TrackerWord[] {
  return urls.map((url): TrackerWord => {
    const announce = announces.find((a) => a.url === url)?.announce;
    if (announce?.state === 'retrying') {
      const seconds = Math.ceil(announce.inMs / 1000);
      return { url, state: 'lost', text: `lost: reconnecting in ${seconds} s (attempt ${announce.attempt})` };
    }
    if (announce?.state === 'announced') return { url, state: 'reachable', text: 'reachable' };
    if (announce) return { url, state: 'connecting', text: 'connecting' };
    const scraper = scrapers.find((s) => s.url === url)?.state;
    if (scraper === 'open') return { url, state: 'reachable', text: 'reachable' };
    if (scraper === 'connecting') return { url, state: 'connecting', text: 'connecting' };
    return { url, state: 'unreachable', text: 'not reachable' };
  });
}

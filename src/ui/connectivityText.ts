// How the node reaches the network, in a few words: "3 peers", "Looking for peers", "Offline", "No peers",
// and "server not answering" once every tracker lost the node's announce (the devnet is down: its name
// and a peer count alone read as all well); and each tracker in one word that the node's own announce
// decides.
import type { ConnectivityState } from '../app/connectivity.svelte.ts';
import type { TrackerAnnounceState } from '../net/trackerReconnect.ts';
import type { TrackerState } from '../net/trackerScraper.ts';

/** Said beside the peers, or instead of looking for them, while no tracker answers the node. */
export const SERVER_DOWN_TEXT = 'server not answering';

/**
 * `trackers`: whether the node's trackers answer (trackersAnswer); a network whose trackers are all lost
 * finds no new peers, and with a devnet that means its server is down.
 */
export function connectivityText(state: ConnectivityState, peers: number, trackers: TrackersAnswer): string {
  const lost = trackers === 'lost';
  if (state === 'connected')
    return `${peers} peer${peers === 1 ? '' : 's'}${lost ? ` · ${SERVER_DOWN_TEXT}` : ''}`;
  if (state === 'offline') return 'Offline';
  if (lost) return SERVER_DOWN_TEXT.charAt(0).toUpperCase() + SERVER_DOWN_TEXT.slice(1);
  return state === 'looking' ? 'Looking for peers' : 'No peers';
}

/**
 * The colour of the status dot beside those words: green only while peers are connected and the trackers
 * have not all lost the node (with every tracker lost, the peers held are all there will be: amber, as
 * "1 peer · server not answering" says); red offline or with nobody; amber while looking.
 */
export type StatusTone = 'good' | 'warning' | 'bad';

export function statusTone(state: ConnectivityState, trackers: TrackersAnswer): StatusTone {
  if (state === 'connected') return trackers === 'lost' ? 'warning' : 'good';
  return state === 'looking' ? 'warning' : 'bad';
}

/**
 * 'answered': a tracker at least answered; 'lost': every one lost the node's announce and retries (the
 * node tried and failed, not merely has not tried yet); else 'unknown'.
 */
export type TrackersAnswer = 'answered' | 'lost' | 'unknown';

export function trackersAnswer(words: readonly TrackerWord[]): TrackersAnswer {
  if (words.some((word) => word.state === 'reachable')) return 'answered';
  return words.length > 0 && words.every((word) => word.state === 'lost') ? 'lost' : 'unknown';
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

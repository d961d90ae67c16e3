// The network's state in words (src/ui/connectivityText.ts): the header's peer count, and one word per
// tracker that the node's own announce decides, so the panel never says "reachable" beside "lost".
import { describe, expect, it } from 'vitest';
import { connectivityText, statusTone, trackersAnswer, trackerWords } from '../../src/ui/connectivityText.ts';

const URL = 'ws://127.0.0.1:8000';

describe('connectivityText', () => {
  it('counts live peers, says offline, looking or no peers otherwise', () => {
    for (const trackers of ['answered', 'unknown'] as const) {
      expect(connectivityText('connected', 1, trackers)).toBe('1 peer');
      expect(connectivityText('connected', 3, trackers)).toBe('3 peers');
      expect(connectivityText('looking', 0, trackers)).toBe('Looking for peers');
      expect(connectivityText('offline', 0, trackers)).toBe('Offline');
      expect(connectivityText('no-peers', 0, trackers)).toBe('No peers');
    }
  });

  it('says the server is not answering once every tracker lost the announce (the devnet is down)', () => {
    expect(connectivityText('connected', 1, 'lost')).toBe('1 peer · server not answering');
    expect(connectivityText('looking', 0, 'lost')).toBe('Server not answering');
    expect(connectivityText('no-peers', 0, 'lost')).toBe('Server not answering');
    // The browser being offline is what the person can act on.
    expect(connectivityText('offline', 0, 'lost')).toBe('Offline');
  });
});

describe('statusTone', () => {
  it('is green only with peers and a tracker not lost, so the dot never contradicts the words', () => {
    expect(statusTone('connected', 'answered')).toBe('good');
    expect(statusTone('connected', 'unknown')).toBe('good');
    // "1 peer · server not answering": the peers held are all there will be.
    expect(statusTone('connected', 'lost')).toBe('warning');
    expect(statusTone('looking', 'unknown')).toBe('warning');
    for (const trackers of ['answered', 'unknown', 'lost'] as const) {
      expect(statusTone('offline', trackers)).toBe('bad');
      expect(statusTone('no-peers', trackers)).toBe('bad');
    }
  });
});

describe('trackersAnswer', () => {
  const word = (state: 'reachable' | 'connecting' | 'lost' | 'unreachable') => ({
    url: URL,
    state,
    text: state,
  });
  it('answered once one tracker is, lost only when every one lost its announce', () => {
    expect(trackersAnswer([word('lost'), word('reachable')])).toBe('answered');
    expect(trackersAnswer([word('lost'), word('lost')])).toBe('lost');
    // Not tried yet, or trying: not known to be down.
    expect(trackersAnswer([word('lost'), word('connecting')])).toBe('unknown');
    expect(trackersAnswer([word('unreachable')])).toBe('unknown');
    expect(trackersAnswer([])).toBe('unknown');
  });
});

describe('trackerWords', () => {
  it('says lost while the announce retries, even when the scrape socket is open', () => {
    const [word] = trackerWords(
      [URL],
      [{ url: URL, announce: { state: 'retrying', inMs: 4200, attempt: 2 } }],
      [{ url: URL, state: 'open' }],
    );
    expect(word).toEqual({ url: URL, state: 'lost', text: 'lost: reconnecting in 5 s (attempt 2)' });
  });

  it('says reachable once announced, connecting before, whatever the scraper says', () => {
    for (const scraper of ['open', 'connecting', 'closed'] as const) {
      const scrapers = [{ url: URL, state: scraper }];
      expect(trackerWords([URL], [{ url: URL, announce: { state: 'announced' } }], scrapers)[0]).toEqual({
        url: URL,
        state: 'reachable',
        text: 'reachable',
      });
      for (const state of ['connecting', 'connected'] as const) {
        expect(trackerWords([URL], [{ url: URL, announce: { state } }], scrapers)[0]?.state).toBe(
          'connecting',
        );
      }
    }
  });

  it('before the node announces, goes by the scraper, and by the config when there is none', () => {
    expect(trackerWords([URL], [], [{ url: URL, state: 'open' }])[0]?.state).toBe('reachable');
    expect(trackerWords([URL], [], [{ url: URL, state: 'connecting' }])[0]?.state).toBe('connecting');
    expect(trackerWords([URL], [], [{ url: URL, state: 'closed' }])[0]?.text).toBe('not reachable');
    expect(trackerWords([URL], [], [])).toEqual([{ url: URL, state: 'unreachable', text: 'not reachable' }]);
  });
});

// The network's state in words (src/ui/connectivityText.ts): the header's peer count, and one word per
// tracker that the node's own announce decides, so the panel never says "reachable" beside "lost".
import { describe, expect, it } from 'vitest';
import { connectivityText, trackerWords } from '../../src/ui/connectivityText.ts';

const URL = 'ws://127.0.0.1:8000';

describe('connectivityText', () => {
  it('counts live peers, says offline, looking or no peers otherwise', () => {
    expect(connectivityText('connected', 1)).toBe('1 peer');
    expect(connectivityText('connected', 3)).toBe('3 peers');
    expect(connectivityText('looking', 0)).toBe('Looking for peers');
    expect(connectivityText('offline', 0)).toBe('Offline');
    expect(connectivityText('no-peers', 0)).toBe('No peers');
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

// The magnet link of a transaction (src/app/magnetLink.ts): the id as the btih, the folder name, and
// every tracker URL percent-encoded.
import { describe, expect, it } from 'vitest';
import { magnetLink } from '../../src/app/magnetLink.ts';

const ID = '0123456789abcdef0123456789abcdef01234567';

describe('magnetLink', () => {
  it('names the infohash, the tx folder and each tracker, encoded', () => {
    expect(magnetLink(ID, ['ws://127.0.0.1:8000/announce', 'wss://tracker.example/a?b=c&d'])).toBe(
      `magnet:?xt=urn:btih:${ID}&dn=tx` +
        '&tr=ws%3A%2F%2F127.0.0.1%3A8000%2Fannounce' +
        '&tr=wss%3A%2F%2Ftracker.example%2Fa%3Fb%3Dc%26d',
    );
  });

  it('parses back to the same id and trackers', () => {
    const trackers = ['ws://localhost:9/x', 'wss://t.example/announce'];
    const params = new URLSearchParams(magnetLink(ID, trackers).slice('magnet:?'.length));
    expect(params.get('xt')).toBe(`urn:btih:${ID}`);
    expect(params.get('dn')).toBe('tx');
    expect(params.getAll('tr')).toEqual(trackers);
  });

  it('has no tr parameter without trackers', () => {
    expect(magnetLink(ID, [])).toBe(`magnet:?xt=urn:btih:${ID}&dn=tx`);
  });
});

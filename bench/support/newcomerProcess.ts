// A process of newcomers for the crowd bench (bench/support/crowd.ts): started by newcomerChildren.ts
// over an IPC channel, so that the crowd is not bounded by one thread of the bench's own. Joins its share
// of the newcomers (crowdNewcomers.ts), says as each finishes, reports their results and its own peak
// resident memory, and keeps them up until told to close (the node's figures are taken meanwhile).
import type { TestNetwork } from '../../test/support/testNetwork.ts';
import {
  joinNewcomers,
  type JoinedNewcomers,
  type NewcomerOptions,
  type NewcomerResult,
} from './crowdNewcomers.ts';

export type ToNewcomers =
  | {
      readonly type: 'join';
      readonly network: TestNetwork;
      readonly trackerUrls: readonly string[];
      readonly total: number;
      readonly options: Omit<NewcomerOptions, 'onFinished' | 'stall'>;
    }
  | { readonly type: 'close' };

export type FromNewcomers =
  | { readonly type: 'ready' }
  | { readonly type: 'finished' }
  | {
      readonly type: 'joined';
      readonly results: readonly NewcomerResult[];
      readonly verdicts: { verified: number; reused: number };
      /** The process's peak resident memory (process.resourceUsage().maxRSS), bytes. */
      readonly rssPeak: number;
    }
  | { readonly type: 'failed'; readonly message: string };

const send = (message: FromNewcomers): void => void process.send!(message);
let joined: JoinedNewcomers | undefined;

process.on('message', (message: ToNewcomers) => {
  if (message.type === 'join') {
    const { network, trackerUrls, total, options } = message;
    joinNewcomers(network, trackerUrls, total, { ...options, onFinished: () => send({ type: 'finished' }) })
      .then((newcomers) => {
        joined = newcomers;
        const rssPeak = process.resourceUsage().maxRSS * 1024;
        send({ type: 'joined', results: newcomers.results, verdicts: newcomers.verdicts, rssPeak });
      })
      .catch((err: unknown) => send({ type: 'failed', message: String(err) }));
  } else {
    void (joined?.close() ?? Promise.resolve())
      .catch((err: unknown) => console.error(`newcomers closing: ${String(err)}`))
      .finally(() => process.exit(0));
  }
});
send({ type: 'ready' });

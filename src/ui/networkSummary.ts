// What a person asks of the network, in one sentence, for the top of the Network view (issue 17 item 9):
// how many others this device is connected to, how many payments the network holds as far as this node
// knows (its own and those its peers say exist), and whether this device has them all. The developer's
// figures (trackers, offers, WebRTC, discovery) stay below it.
import { formatTokens } from './formatTokens.ts';

const count = (n: number, one: string, many: string) => `${formatTokens(n)} ${n === 1 ? one : many}`;

/**
 * `known`: transactions this node knows exist (NetworkSync.known); `accepted`: those it has. With no peer
 * nobody said what else exists, so only what this device holds is told.
 */
export function networkSummary(peers: number, known: number, accepted: number): string {
  if (peers === 0)
    return `Connected to nobody right now; this device holds ${count(accepted, 'payment', 'payments')}.`;
  const total = Math.max(known, accepted);
  const missing = total - accepted;
  const have =
    missing === 0
      ? total === 1
        ? 'you have it'
        : 'you have all of them'
      : `you have ${formatTokens(accepted)} of them; ${count(missing, 'is', 'are')} still on the way`;
  return `Connected to ${count(peers, 'person', 'people')}; the network holds ${count(total, 'payment', 'payments')}; ${have}.`;
}

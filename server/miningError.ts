// No nonce up to 2^53−1 reached the asked work: only possible for absurd targets, a programmer error.
export class MiningError extends Error {
  override readonly name = 'MiningError';
}

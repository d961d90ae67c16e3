// A server could not take its port or host. The message is the one line main.ts prints, naming the
// option that fixes it.
export class ListenError extends Error {
  override readonly name = 'ListenError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

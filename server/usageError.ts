// Bad command-line arguments for the node: printed as one line with the usage, exit 2.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

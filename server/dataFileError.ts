// A file in the data folder exists but does not hold what this node wrote there. The node refuses to
// start rather than overwrite it (a genesis key or a faucet account is not something to lose silently).
export class DataFileError extends Error {
  override readonly name = 'DataFileError';

  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}; move it away to start afresh`);
  }
}

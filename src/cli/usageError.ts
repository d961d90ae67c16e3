// The CLI's one error class: bad arguments or input the user can fix. Printed as one line, exit 2.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

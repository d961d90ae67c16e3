// Asks a devnet faucet for a payment and turns every way that can fail into one sentence a person can
// act on: this device is offline, the faucet is empty, it is rate-limited (and for how long), it cannot be
// reached, or it said no for a reason it gives. Never the browser's bare "Failed to fetch".
export type FaucetProblem = 'offline' | 'empty' | 'rate-limited' | 'unreachable' | 'refused';

/** What the browser says (navigator.onLine); Node has no such flag, so there it counts as online. */
function browserOnline(): boolean {
  return (globalThis.navigator as { onLine?: boolean } | undefined)?.onLine !== false;
}

/** Said when the request failed while the browser says it is offline: the server is not to blame. */
export const OFFLINE_FAUCET_TEXT =
  'You are offline: the faucet can be asked once this device is connected again.';

export class FaucetError extends Error {
  override readonly name = 'FaucetError';
  constructor(
    readonly problem: FaucetProblem,
    message: string,
  ) {
    super(message);
  }
}

/** What the faucet (server/faucetRoute.ts) answers: {id, tx} or {error}. */
interface FaucetBody {
  readonly tx?: unknown;
  readonly error?: unknown;
}

async function readBody(response: Response): Promise<FaucetBody> {
  try {
    const body = (await response.json()) as unknown;
    return body !== null && typeof body === 'object' ? (body as FaucetBody) : {};
  } catch {
    return {}; // a proxy's HTML error page, a cut connection: no reason given
  }
}

/**
 * POSTs {address, tokens?} to `url`; resolves with the payment's tx.json text. `online` says whether the
 * browser believes it is connected (a test passes its own).
 */
export async function requestFaucet(
  url: string,
  to: string,
  tokens?: number,
  online: () => boolean = browserOnline,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: to, ...(tokens === undefined ? {} : { tokens }) }),
    });
  } catch {
    if (!online()) throw new FaucetError('offline', OFFLINE_FAUCET_TEXT);
    throw new FaucetError(
      'unreachable',
      'The faucet cannot be reached: the devnet server is not answering. Check that it is running, then try again.',
    );
  }
  const body = await readBody(response);
  if (response.ok && typeof body.tx === 'string') return body.tx;
  const reason = typeof body.error === 'string' ? body.error : null;
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    const wait = Number.isFinite(seconds) && seconds > 0 ? `Try again in ${seconds} s.` : 'Try again later.';
    const why = (reason ?? 'too many requests').replace(/: try again in \d+ s$/, '');
    throw new FaucetError('rate-limited', `The faucet is rate-limited: ${why}. ${wait}`);
  }
  if (response.status === 503) {
    // faucet.ts says either "the faucet is empty" or how much it has left, fewer than was asked.
    throw new FaucetError(
      'empty',
      reason === null || reason === 'the faucet is empty'
        ? 'The faucet is empty: it has no devnet tokens left to give.'
        : `The faucet cannot pay that much: ${reason}.`,
    );
  }
  if (response.status >= 500 || reason === null) {
    throw new FaucetError(
      'unreachable',
      `The faucet is not working right now (the server answered ${response.status}${reason ? `: ${reason}` : ''}). Try again later.`,
    );
  }
  throw new FaucetError('refused', `The faucet refused: ${reason}.`);
}

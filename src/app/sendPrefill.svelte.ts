// A request to fill the send form (from a payment link or a scanned request). The form applies each new
// request once, and the user still confirms before anything is signed.
export interface SendPrefill {
  readonly to: string;
  readonly tokens: string;
  readonly memo: string;
}

class SendPrefillRequest {
  current = $state<SendPrefill | null>(null);
  /** Bumped on every request, so the same values asked twice still refill the form. */
  version = $state(0);

  request(prefill: SendPrefill): void {
    this.current = prefill;
    this.version++;
  }
}

export const sendPrefill = new SendPrefillRequest();

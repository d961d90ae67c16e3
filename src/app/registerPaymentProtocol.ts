// Asks the browser to open web+ttx: links with this page, which receives them as `#pay?uri=…`
// (src/app/listenForPaymentLinks.ts). Browsers that lack the API, refuse it outside a secure context
// (Chromium takes https, localhost and 127.0.0.1) or ignore it headless are fine: links still work.
import { PAYMENT_SCHEME } from './paymentLink.ts';

/** Returns whether the browser took the request (it may still ask the user, or ignore it quietly). */
export function registerPaymentProtocol(): boolean {
  if (!window.isSecureContext || typeof navigator.registerProtocolHandler !== 'function') return false;
  try {
    navigator.registerProtocolHandler(PAYMENT_SCHEME, `${location.origin}${location.pathname}#pay?uri=%s`);
    return true;
  } catch {
    // A SecurityError or SyntaxError here means "not on this page"; there is nothing to repair.
    return false;
  }
}

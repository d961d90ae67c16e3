// RFC 8785 (JCS) canonical JSON, the only byte form a tx.json may take (PROTOCOL §2).
import canonicalize from 'canonicalize';

/**
 * The canonical JSON text of a JSON value, or undefined when it has none: JCS forbids lone surrogates,
 * and a value holding one (a memo with the escape "\ud800") therefore has no canonical form.
 */
export function canonicalJson(value: unknown): string | undefined {
  try {
    return canonicalize(value);
  } catch {
    return undefined;
  }
}

// Distinct made-up transaction ids for bookkeeping tests: 40 lowercase hex characters each.

/** n distinct 40-hex ids, counting up from `from`. */
export function hexIds(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => (from + i).toString(16).padStart(40, '0'));
}

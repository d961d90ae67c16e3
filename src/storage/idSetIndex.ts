// A secondary index kept in memory: key → ids of the records with that key, empty sets dropped.

export function addToIndex(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key);
  if (ids === undefined) index.set(key, (ids = new Set()));
  ids.add(id);
}

export function removeFromIndex(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  if (ids === undefined) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(key);
}

// The eviction both page caches share: insertion-ordered Map, oldest entry dropped first when full.

/** Map#set that first drops the oldest entry when a new key would take the map past maxEntries. */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, maxEntries: number): void {
  if (!map.has(key) && map.size >= maxEntries) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

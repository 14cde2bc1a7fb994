/**
 * Values worked out once per object and key, kept as long as the object lives: a list of
 * items is replaced when its items change, so what was worked out from it goes with it,
 * and nothing needs dropping by hand. `limit` empties one object's values once it holds
 * that many (for keys a reader chooses, such as a list's filters).
 */
export function keptPerObject<Owner extends object, Key, Value>(limit = Number.POSITIVE_INFINITY): (owner: Owner, key: Key, compute: () => Value) => Value {
  const kept = new WeakMap<Owner, Map<Key, Value>>();
  return (owner, key, compute) => {
    let byKey = kept.get(owner);
    if (!byKey) kept.set(owner, (byKey = new Map()));
    let value = byKey.get(key);
    if (value === undefined) {
      if (byKey.size >= limit) byKey.clear();
      value = compute();
      byKey.set(key, value);
    }
    return value;
  };
}

/**
 * Values that live as long as one HTTP request, such as a request's
 * DataLoaders (they cache what they load). They go with the request object:
 * nothing outlives it. Callers put the community in the key, so that what
 * one community loaded is never handed to another.
 */
const values = new WeakMap<object, Map<string, unknown>>();

export function perRequest<T>(request: object, key: string, create: () => T): T {
  let ofRequest = values.get(request);
  if (ofRequest === undefined) {
    ofRequest = new Map();
    values.set(request, ofRequest);
  }
  let value = ofRequest.get(key) as T | undefined;
  if (value === undefined) {
    value = create();
    ofRequest.set(key, value);
  }
  return value;
}

/** A DataLoader's answer: for each key in order, its row or null. */
export function rowsByKey<T>(
  rows: T[],
  keyOf: (row: T) => string,
  keys: readonly string[],
): Array<T | null> {
  const found = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => found.get(key) ?? null);
}

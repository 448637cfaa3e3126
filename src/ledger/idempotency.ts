import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { assert } from './ledger-error';

/**
 * Fingerprints of money-moving requests, for idempotency keys.
 *
 * A request stores the fingerprint of its payload with its idempotency key. A
 * retry with the same key is answered with the original transfer when its
 * fingerprint matches and refused when it does not, so the fingerprint must
 * be the same for the same payload however it was built, and different for
 * any difference that matters.
 *
 * The fingerprint is the lowercase hex SHA-256 of the UTF-8 of this canonical
 * JSON of the payload:
 *
 * - object keys sorted by UTF-16 code units (JavaScript's default sort), at
 *   every depth; keys whose value is undefined are dropped, so an omitted
 *   optional field and an explicit undefined are the same request;
 * - bigint as a JSON string of its decimal digits (1500n → "1500");
 * - Date as a JSON string in ISO 8601 UTC with milliseconds;
 * - Decimal as a JSON string of its plain value without trailing zeros, so
 *   "1.50" and "1.5" are the same amount;
 * - strings, finite numbers, booleans and null as JSON.stringify writes them;
 *   undefined inside an array as null, as JSON.stringify writes it.
 *
 * A bigint and a string with the same digits encode alike; that cannot make
 * two requests collide because a field of a given operation always has one
 * type. Callers should include the operation's name in the payload so that
 * the same key reused for another operation does not match. Anything else
 * (functions, symbols, Maps, class instances, non-finite numbers, cycles,
 * nesting deeper than MAX_FINGERPRINT_DEPTH) is a bug in the caller and fails
 * an assertion.
 */

export const MAX_FINGERPRINT_DEPTH = 16;

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function encode(value: unknown, depth: number): string {
  assert(depth <= MAX_FINGERPRINT_DEPTH, 'a fingerprinted payload is not nested too deeply');
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      assert(Number.isFinite(value), 'numbers in a fingerprinted payload are finite');
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'undefined':
      return 'null';
    case 'object':
      return encodeObject(value, depth);
    case 'function':
    case 'symbol':
      assert(false, `a ${typeof value} cannot be fingerprinted`);
  }
}

function encodeObject(value: object | null, depth: number): string {
  if (value === null) return 'null';
  if (value instanceof Date) {
    assert(!Number.isNaN(value.getTime()), 'dates in a fingerprinted payload are valid');
    return JSON.stringify(value.toISOString());
  }
  if (Decimal.isDecimal(value)) {
    assert(value.isFinite(), 'decimals in a fingerprinted payload are finite');
    return JSON.stringify(value.isZero() ? '0' : value.toFixed());
  }
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    return `[${items.map((item) => encode(item, depth + 1)).join(',')}]`;
  }
  assert(isPlainObject(value), 'only plain objects, arrays and values can be fingerprinted');
  const members = Object.keys(value)
    .sort()
    .filter((key) => value[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${encode(value[key], depth + 1)}`);
  return `{${members.join(',')}}`;
}

/** The canonical JSON described at the top of this file. */
export function canonicalJson(value: unknown): string {
  return encode(value, 0);
}

/** The fingerprint of a request payload (see the top of this file). */
export function requestFingerprint(payload: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex');
}

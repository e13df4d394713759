/**
 * JSON parsing for untrusted input: keys that could reach an object's prototype are refused, so
 * nothing downstream can be tricked by `__proto__`, `constructor` or `prototype`.
 */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class UnsafeJsonError extends Error {
  override readonly name = 'UnsafeJsonError';
}

/**
 * A key can only decode to a forbidden name if the text spells it out or uses a `\u` escape; text
 * with neither is parsed without the (much slower) reviver.
 */
const MAYBE_FORBIDDEN = /__proto__|constructor|prototype|\\u/;

/** `JSON.parse`, refusing prototype keys at any depth. Throws `SyntaxError` or {@link UnsafeJsonError}. */
export function parseUntrustedJson(text: string): unknown {
  if (!MAYBE_FORBIDDEN.test(text)) return JSON.parse(text);
  return JSON.parse(text, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new UnsafeJsonError(`the key "${key}" is not allowed`);
    return value;
  });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

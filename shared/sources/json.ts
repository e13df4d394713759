/**
 * JSON parsing for untrusted input: keys that could reach an object's prototype are refused, so
 * nothing downstream can be tricked by `__proto__`, `constructor` or `prototype`.
 */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class UnsafeJsonError extends Error {
  override readonly name = 'UnsafeJsonError';
}

/** `JSON.parse`, refusing prototype keys at any depth. Throws `SyntaxError` or {@link UnsafeJsonError}. */
export function parseUntrustedJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new UnsafeJsonError(`the key "${key}" is not allowed`);
    return value;
  });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON parsing for untrusted input: keys that could reach an object's prototype are refused, so
 * nothing downstream can be tricked by `__proto__`, `constructor` or `prototype`.
 */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class UnsafeJsonError extends Error {
  override readonly name = 'UnsafeJsonError';
  /** The forbidden key that was found. */
  readonly key: string;
  constructor(key: string) {
    super(`the key "${key}" is not allowed`);
    this.key = key;
  }
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
    if (FORBIDDEN_KEYS.has(key)) throw new UnsafeJsonError(key);
    return value;
  });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Depth beyond which a value is not searched further (JSON.parse itself stops far deeper). */
const MAX_SEARCH_DEPTH = 64;

/**
 * The first prototype key in an already-parsed value (e.g. the `data` object of a CloudEvent that
 * arrived inside FC's event), or undefined. Too deep to search counts as found: refuse rather than guess.
 */
export function findForbiddenKey(value: unknown, depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_SEARCH_DEPTH) return '(nesting too deep)';
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return key;
    const found = findForbiddenKey((value as Record<string, unknown>)[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

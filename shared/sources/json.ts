/**
 * JSON parsing for untrusted input: keys that could reach an object's prototype are refused, so
 * nothing downstream can be tricked by `__proto__`, `constructor` or `prototype`; and a key given
 * twice in one object is refused, because parsers disagree on which one counts (JSON.parse takes the
 * last, others the first) — a request must mean one thing to everyone who reads it.
 */

import type { Issue } from '../core/errors';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class UnsafeJsonError extends Error {
  override readonly name = 'UnsafeJsonError';
  /** The key that was found. */
  readonly key: string;
  /** A prototype key, or a key given twice in one object. */
  readonly reason: 'prototype' | 'duplicate';
  constructor(key: string, reason: 'prototype' | 'duplicate' = 'prototype') {
    super(reason === 'prototype' ? `the key "${key}" is not allowed` : `the key "${key}" appears twice in one object`);
    this.key = key;
    this.reason = reason;
  }
}

/**
 * A key can only decode to a forbidden name if the text spells it out or uses a `\u` escape; text
 * with neither is parsed without the (much slower) reviver.
 */
const MAYBE_FORBIDDEN = /__proto__|constructor|prototype|\\u/;

/**
 * `JSON.parse`, refusing prototype keys at any depth and keys repeated within an object. Throws
 * `SyntaxError` or {@link UnsafeJsonError}.
 */
export function parseUntrustedJson(text: string): unknown {
  const value: unknown = !MAYBE_FORBIDDEN.test(text)
    ? JSON.parse(text)
    : JSON.parse(text, (key, parsed: unknown) => {
        if (FORBIDDEN_KEYS.has(key)) throw new UnsafeJsonError(key);
        return parsed;
      });
  const [repeated] = repeatedKeys(text);
  if (repeated !== undefined) throw new UnsafeJsonError(repeated.key, 'duplicate');
  return value;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A key given twice in one object, and which element of a top-level array it is in (if the text is one). */
export interface RepeatedKey {
  readonly key: string;
  readonly element?: number;
}

/**
 * Keys that appear twice in one object of `text`, which must already be valid JSON (so a string
 * always ends at an unescaped quote): the first for each element of a top-level array, or the first of
 * all. Keys are compared after their escapes are resolved: `"a"` and `"\u0061"` are the same key.
 */
export function repeatedKeys(text: string): RepeatedKey[] {
  const found: RepeatedKey[] = [];
  // One entry per open container: the keys seen so far in an object, undefined in an array.
  const open: (Set<string> | undefined)[] = [];
  const topLevelArray = /^\s*\[/.test(text);
  let element = 0;
  let expectKey = false;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit === QUOTE) {
      let end = index + 1;
      while (text.charCodeAt(end) !== QUOTE) end += text.charCodeAt(end) === BACKSLASH ? 2 : 1;
      const keys = open.at(-1);
      if (expectKey && keys) {
        const raw = text.slice(index, end + 1);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (keys.has(key)) {
          if (!topLevelArray) return [{ key }];
          if (found.at(-1)?.element !== element) found.push({ key, element });
        }
        keys.add(key);
        expectKey = false;
      }
      index = end;
    } else if (unit === 0x7b) {
      open.push(new Set());
      expectKey = true;
    } else if (unit === 0x5b) {
      open.push(undefined);
    } else if (unit === 0x7d || unit === 0x5d) {
      open.pop();
    } else if (unit === 0x2c) {
      if (topLevelArray && open.length === 1) element++;
      expectKey = open.at(-1) !== undefined;
    }
  }
  return found;
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

/** What was wrong with text {@link parseUntrustedJson} refused, as an issue message. */
function jsonProblem(error: unknown): string {
  if (error instanceof UnsafeJsonError) return `is refused: ${error.message}`;
  return `is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`;
}

/** The input a source's JSON text (at `path`) holds, or the issue that stops it being read. */
export function readJsonInput(text: string, path: string): { input: unknown; issue?: Issue } {
  try {
    return { input: parseUntrustedJson(text) };
  } catch (error) {
    return { input: undefined, issue: { path, message: jsonProblem(error) } };
  }
}

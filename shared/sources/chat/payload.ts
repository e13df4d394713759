/**
 * Reading untrusted chat payloads: JSON that cannot pollute prototypes, and fields read by dotted
 * path from own properties only, each failure reported as an {@link Issue} naming the field.
 */
import type { Issue } from '../../core/errors';
import { isPlainObject, parseUntrustedJson, UnsafeJsonError } from '../json';

export type JsonObject = { readonly [key: string]: unknown };

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: Issue };

/** `text` as a JSON object; refused like every other source's JSON when a prototype key appears anywhere. */
export function parseJsonObject(text: string, path = ''): Read<JsonObject> {
  let value: unknown;
  try {
    value = parseUntrustedJson(text);
  } catch (error) {
    const message =
      error instanceof UnsafeJsonError
        ? error.reason === 'prototype'
          ? `must not contain a "${error.key}" key`
          : `must not give the key "${error.key}" twice in one object`
        : 'must be valid JSON';
    return { ok: false, issue: { path, message } };
  }
  return isPlainObject(value) ? { ok: true, value } : { ok: false, issue: { path, message: 'must be a JSON object' } };
}

/** The value at dotted `path` (`event.message.chat_id`), following own properties of objects only. */
export function valueAt(root: JsonObject, path: string): unknown {
  let current: unknown = root;
  for (const part of path.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** Non-empty strings at each path, or the first path that is missing, empty or not a string. */
export function readStrings<P extends string>(root: JsonObject, paths: readonly P[]): Read<Record<P, string>> {
  const values = {} as Record<P, string>;
  for (const path of paths) {
    const value = valueAt(root, path);
    if (typeof value !== 'string' || value === '') {
      return { ok: false, issue: { path, message: value === undefined ? 'is required' : 'must be a non-empty string' } };
    }
    values[path] = value;
  }
  return { ok: true, value: values };
}

/** The finite number at `path`. */
export function readNumber(root: JsonObject, path: string): Read<number> {
  const value = valueAt(root, path);
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
  return { ok: false, issue: { path, message: value === undefined ? 'is required' : 'must be a number' } };
}

/** The string at `path`, when it is exactly `expected`. */
export function readConstant(root: JsonObject, path: string, expected: string): Read<string> {
  const value = valueAt(root, path);
  if (value === expected) return { ok: true, value: expected };
  return { ok: false, issue: { path, message: value === undefined ? 'is required' : `must be "${expected}"` } };
}

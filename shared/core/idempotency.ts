/**
 * ClientTokens: the one thing that makes a purchase safe to repeat. A token is fixed once per intent
 * — from the caller, or derived from the event's own identity — and reused by every retry, in this
 * invocation and in FC's re-invocations of the same event.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Issue } from './errors';
import type { TriggerKind } from './outcome';

/** The API allows ASCII only, at most 64 characters. */
export const MAX_CLIENT_TOKEN_LENGTH = 64;

/**
 * A stable token derived from an identity: `<kind>-<hex>`, ASCII, ≤ 64 characters. The parts are
 * length-prefixed before hashing so that ("a:b", "c") and ("a", "b:c") never collide.
 */
export function derivedClientToken(kind: TriggerKind, ...identity: string[]): string {
  const hash = createHash('sha256');
  for (const part of identity) hash.update(`${Buffer.byteLength(part)}:${part};`);
  const prefix = `${kind}-`;
  return prefix + hash.digest('hex').slice(0, Math.min(48, MAX_CLIENT_TOKEN_LENGTH - prefix.length));
}

/** A fresh token for an HTTP call that named no identity; returned to the caller so it can retry safely. */
export function freshClientToken(): string {
  return `http-${randomUUID()}`;
}

/** The prefixes of the tokens this function derives: `<kind>-…` (chat confirmations: `chat-…`). */
const DERIVED_PREFIXES = ['http', 'eventbridge', 'timer', 'chat'] as const;

/**
 * A ClientToken a caller chose must not wear another source's prefix: a signed HTTP request naming
 * next month's `timer-…` token would otherwise make that firing fail as a conflict (or buy nothing).
 * A source's own prefix stays allowed: HTTP callers retry with the `http-…` token they were given.
 */
export function foreignTokenIssue(token: unknown, source: 'http' | 'eventbridge' | 'timer'): Issue | undefined {
  if (typeof token !== 'string') return undefined;
  // In any case: `CHAT-…` is no less another source's token than `chat-…`.
  const reserved = DERIVED_PREFIXES.find((kind) => kind !== source && token.toLowerCase().startsWith(`${kind}-`));
  return reserved
    ? { path: 'ClientToken', message: `must not start with "${reserved}-": that prefix is reserved for the tokens this function derives` }
    : undefined;
}

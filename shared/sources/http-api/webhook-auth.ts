/**
 * Authentication of the HTTP API. The trigger is anonymous (chat platforms cannot sign ACS3), so the
 * function checks every API request itself, against every configured secret (rotation), within 300 s
 * of now, in constant time; with no secret configured every request is refused (fail closed).
 *
 *   X-Webhook-Timestamp: <unix seconds>
 *   X-Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * v1 signs only the body, so it is accepted only for a plain create: `POST` with no query string and
 * no `Idempotency-Key`. Anything else those would change — a dry run (`?dryRun=true`), a status read
 * (the id is in the path), a chosen Idempotency-Key — must be signed too, or a captured request could
 * be replayed as a purchase (a dry run without its query) or buy again (under a new key):
 *
 *   X-Webhook-Signature: v2=<hex HMAC-SHA256(secret,
 *     "<timestamp>.<METHOD>.<path>.<query>.<Idempotency-Key>.<raw body>")>
 *
 * where `query` is the query parameters as `name=value` (both RFC 3986-encoded) sorted by name and
 * joined with `&` (`dryRun=true`; empty if none), and `Idempotency-Key` is empty if absent. Which form
 * a request needs follows from its shape alone, so a signature made for one form never verifies as
 * the other. {@link webhookSignedText} builds the one canonical string: the verifier, `local/` and
 * the README's one-liners use it or match it.
 */
import { createHmac } from 'node:crypto';
import { canonicalQueryString } from '../../clients/signer/acs3';
import { timingSafeEqualText } from '../../clients/signer/constant-time';
import { ProductError } from '../../core/errors';

export const WEBHOOK_WINDOW_SECONDS = 300;

export type WebhookVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'not-configured' | 'missing-signature' | 'bad-timestamp' | 'stale' | 'bad-signature' };

/** The parts of a request, besides its body, that a v2 signature covers. */
export interface SignedRequestLine {
  readonly method: string;
  readonly path: string;
  /** As delivered; a value that is not text is signed as its string form (and then refused as input). */
  readonly query: Readonly<Record<string, unknown>>;
  readonly idempotencyKey?: string | undefined;
}

/** A plain create, the only request a body-only (v1) signature may authorize. */
const PLAIN_CREATE: SignedRequestLine = { method: 'POST', path: '/bandwidth-plans', query: {} };

/** True when a body-only signature cannot authorize this request. */
export function needsRequestLineSignature(line: SignedRequestLine): boolean {
  return line.method.toUpperCase() !== 'POST' || Object.keys(line.query).length > 0 || Boolean(line.idempotencyKey);
}

/**
 * What is signed before the raw body, and under which version: `<timestamp>.` (v1), or
 * `<timestamp>.<METHOD>.<path>.<query>.<Idempotency-Key>.` (v2). The query is sorted by parameter
 * name — not by the joined `name=value` strings, which order differently when one name is a prefix of
 * another (`a-=1` sorts before `a=1`).
 */
export function webhookSignedText(timestamp: string, line: SignedRequestLine = PLAIN_CREATE): { version: 'v1' | 'v2'; prefix: string } {
  if (!needsRequestLineSignature(line)) return { version: 'v1', prefix: `${timestamp}.` };
  const query = canonicalQueryString(Object.fromEntries(Object.entries(line.query).map(([name, value]) => [name, String(value)])));
  return { version: 'v2', prefix: `${[timestamp, line.method.toUpperCase(), line.path, query, line.idempotencyKey ?? ''].join('.')}.` };
}

/** The signature header value a request needs: v1 for a plain create, v2 for everything else. */
export function webhookSignature(secret: string, timestamp: string, rawBody: Uint8Array | string, line: SignedRequestLine = PLAIN_CREATE): string {
  const { version, prefix } = webhookSignedText(timestamp, line);
  return `${version}=${createHmac('sha256', secret).update(prefix).update(rawBody).digest('hex')}`;
}

export function verifyWebhook(
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: Uint8Array | string,
  secrets: readonly string[],
  nowSeconds: number,
  line: SignedRequestLine = PLAIN_CREATE,
): WebhookVerdict {
  if (secrets.length === 0) return { ok: false, reason: 'not-configured' };
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return { ok: false, reason: 'missing-signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  // Check every secret (no early exit), so timing does not reveal which one matched.
  let matched = false;
  for (const secret of secrets) {
    if (timingSafeEqualText(signature, webhookSignature(secret, timestamp, rawBody, line))) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

const REFUSALS = {
  'not-configured': 'The HTTP API is disabled: no WEBHOOK_SECRET is configured.',
  'missing-signature': 'Sign the request: X-Webhook-Timestamp and X-Webhook-Signature are required.',
  'bad-timestamp': 'X-Webhook-Timestamp must be the time in whole seconds since 1970 (UTC), given once.',
  stale: `X-Webhook-Timestamp is not within ${WEBHOOK_WINDOW_SECONDS} seconds of now.`,
} as const;

/** Refuses (401) any API request that is not signed with a configured webhook secret. */
export function authenticateApiRequest(
  request: { readonly rawBody: Uint8Array; readonly headers: Readonly<Record<string, string>> } & Omit<SignedRequestLine, 'idempotencyKey'>,
  secrets: readonly string[],
  nowSeconds: number,
): void {
  const line = { method: request.method, path: request.path, query: request.query, idempotencyKey: request.headers['idempotency-key'] };
  const verdict = verifyWebhook(
    { timestamp: request.headers['x-webhook-timestamp'], signature: request.headers['x-webhook-signature'] },
    request.rawBody,
    secrets,
    nowSeconds,
    line,
  );
  if (verdict.ok) return;
  const message =
    verdict.reason !== 'bad-signature'
      ? REFUSALS[verdict.reason]
      : needsRequestLineSignature(line)
        ? 'X-Webhook-Signature does not match. Dry runs, status reads and requests with a query string or an Idempotency-Key need a v2 signature over the method, path, query and key too (see README).'
        : 'X-Webhook-Signature does not match.';
  throw new ProductError('Unauthorized', message);
}

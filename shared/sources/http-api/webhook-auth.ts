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
 * where `query` is the query parameters percent-encoded and sorted (`a=1&b=2`, empty if none) and
 * `Idempotency-Key` is empty if absent. Which form a request needs follows from its shape alone, so a
 * signature made for one form never verifies as the other.
 */
import { createHmac } from 'node:crypto';
import { canonicalQueryString } from '../signer/acs3';
import { timingSafeEqualText } from '../signer/constant-time';

export const WEBHOOK_WINDOW_SECONDS = 300;

export type WebhookVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'not-configured' | 'missing-signature' | 'stale' | 'bad-signature' };

/** The parts of a request, besides its body, that a v2 signature covers. */
export interface SignedRequestLine {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly idempotencyKey?: string | undefined;
}

/** A plain create, the only request a body-only (v1) signature may authorize. */
const PLAIN_CREATE: SignedRequestLine = { method: 'POST', path: '/bandwidth-plans', query: {} };

/** True when a body-only signature cannot authorize this request. */
export function needsRequestLineSignature(line: SignedRequestLine): boolean {
  return line.method.toUpperCase() !== 'POST' || Object.keys(line.query).length > 0 || Boolean(line.idempotencyKey);
}

/** The signature header value a request needs: v1 for a plain create, v2 for everything else. */
export function webhookSignature(secret: string, timestamp: string, rawBody: Uint8Array | string, line: SignedRequestLine = PLAIN_CREATE): string {
  const hmac = createHmac('sha256', secret).update(`${timestamp}.`);
  if (!needsRequestLineSignature(line)) return `v1=${hmac.update(rawBody).digest('hex')}`;
  const head = [line.method.toUpperCase(), line.path, canonicalQueryString(line.query), line.idempotencyKey ?? ''].join('.');
  return `v2=${hmac.update(`${head}.`).update(rawBody).digest('hex')}`;
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
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_WINDOW_SECONDS) {
    return { ok: false, reason: 'stale' };
  }
  // Check every secret (no early exit), so timing does not reveal which one matched.
  let matched = false;
  for (const secret of secrets) {
    if (timingSafeEqualText(signature, webhookSignature(secret, timestamp, rawBody, line))) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

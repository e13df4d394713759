/**
 * Authentication of the HTTP API. The trigger is anonymous (chat platforms cannot sign ACS3), so the
 * function checks every API request itself:
 *   X-Webhook-Timestamp: <unix seconds>
 *   X-Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 * accepted within 300 s of now, compared in constant time, against every configured secret (rotation).
 * No secret configured → every request is refused (fail closed).
 */
import { createHmac } from 'node:crypto';
import { timingSafeEqualText } from '../signer/constant-time';

export const WEBHOOK_WINDOW_SECONDS = 300;

export type WebhookVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'not-configured' | 'missing-signature' | 'stale' | 'bad-signature' };

export function webhookSignature(secret: string, timestamp: string, rawBody: Uint8Array | string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export function verifyWebhook(
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: Uint8Array | string,
  secrets: readonly string[],
  nowSeconds: number,
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
    if (timingSafeEqualText(signature, webhookSignature(secret, timestamp, rawBody))) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

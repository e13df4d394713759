/**
 * What a caller computes to be let in: the HTTP API's webhook signature and each chat platform's
 * own (docs/sources.md, "Chat platforms"). The webhook signature is the function's
 * own canonical string (`webhookSignedText`): one definition, so a local run cannot drift from it.
 * The chat platforms' are written here from the references with node:crypto, a second implementation
 * the function's verifiers are checked against.
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { webhookSignature as canonicalWebhookSignature } from '../shared/sources/http-api/webhook-auth';

/** What a v2 signature covers besides the body (README, "HTTP API"). */
export interface RequestLine {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly idempotencyKey?: string | undefined;
}

/**
 * A plain create (`POST`, no query, no Idempotency-Key): `v1=hex(HMAC-SHA256(secret, "<seconds>.<body>"))`.
 * Anything else: `v2=hex(HMAC-SHA256(secret, "<seconds>.<METHOD>.<path>.<query sorted by name>.<key>.<body>"))`.
 */
export function webhookSignature(secret: string, timestampSeconds: number, body: string | Buffer, line?: RequestLine): string {
  return canonicalWebhookSignature(secret, String(timestampSeconds), body, line && { ...line, query: line.query ?? {} });
}

/** Slack v0: `v0=hex(HMAC-SHA256(signingSecret, "v0:<seconds>:<raw body>"))`. */
export function slackSignature(signingSecret: string, timestampSeconds: number, body: string | Buffer): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:`).update(body).digest('hex')}`;
}

/** DingTalk: `Base64(HMAC-SHA256(appSecret, "<ms>\n<appSecret>"))`; the body is not covered. */
export function dingTalkSignature(appSecret: string, timestampMs: number): string {
  return createHmac('sha256', appSecret).update(`${timestampMs}\n${appSecret}`).digest('base64');
}

/** Lark: `hex(SHA-256(timestamp + nonce + encryptKey + raw body))`, a plain hash. */
export function larkSignature(timestampSeconds: number, nonce: string, encryptKey: string, body: string | Buffer): string {
  return createHash('sha256').update(`${timestampSeconds}${nonce}${encryptKey}`).update(body).digest('hex');
}

/** Lark's `encrypt`: Base64(iv ‖ AES-256-CBC(plaintext)), key = SHA-256(encryptKey), random IV. */
export function larkEncrypt(plaintext: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

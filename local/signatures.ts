/**
 * What a caller computes to be let in: the HTTP API's webhook signature and each chat platform's
 * own (chatops.md §1.1, §2.2, §3.3, §3.4). Written from the references with node:crypto, not taken
 * from shared/, so a local run checks the function's verification against a second implementation.
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** What a v2 signature covers besides the body (README, "HTTP API"). */
export interface RequestLine {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly idempotencyKey?: string | undefined;
}

const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A plain create (`POST`, no query, no Idempotency-Key): `v1=hex(HMAC-SHA256(secret, "<seconds>.<body>"))`.
 * Anything else: `v2=hex(HMAC-SHA256(secret, "<seconds>.<METHOD>.<path>.<sorted query>.<key>.<body>"))`.
 */
export function webhookSignature(secret: string, timestampSeconds: number, body: string | Buffer, line?: RequestLine): string {
  const query = Object.entries(line?.query ?? {})
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
    .sort()
    .join('&');
  const plain = !line || (line.method.toUpperCase() === 'POST' && query === '' && !line.idempotencyKey);
  const signed = plain ? `${timestampSeconds}.` : `${timestampSeconds}.${line.method.toUpperCase()}.${line.path}.${query}.${line.idempotencyKey ?? ''}.`;
  return `${plain ? 'v1' : 'v2'}=${createHmac('sha256', secret).update(signed).update(body).digest('hex')}`;
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

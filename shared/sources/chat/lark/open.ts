/**
 * Authenticates and unwraps one Lark/Feishu webhook request: signature, decryption, verification
 * token, then either the URL-verification challenge to echo or the event to parse
 * (docs/sources.md, "Chat platforms"). Card callbacks (`card.action.trigger`) are encrypted and signed
 * exactly like events and arrive the same way (docs/buttons.md §3.2).
 *
 * The Encrypt Key is required: without it Lark signs nothing and the only check left is a static
 * token in the body, which anyone who has seen one request can replay forever.
 */
import { type JsonObject, parseJsonObject, valueAt } from '../payload';
import { refused, timingSafeEqualText, type VerificationFailure } from '../verification';
import { decryptLarkPayload } from './decrypt';
import { hasLegacyCardSignature, verifyLarkSignature } from './verify';

export interface LarkRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received (Base64-decoded when FC says `isBase64Encoded`). */
  readonly rawBody: string | Uint8Array;
  /** Current time, ms since the epoch. */
  readonly now: number;
  /** The app's Encrypt Key; absent or empty refuses every request. */
  readonly encryptKey: string | undefined;
  /** The app's Verification Token; when set, the body's token must equal it. */
  readonly verificationToken?: string | undefined;
}

export type OpenedLarkRequest =
  /** Answer `{"challenge": challenge}` within 1 s. */
  | { readonly ok: true; readonly kind: 'challenge'; readonly challenge: string }
  /** A verified, decrypted event or callback; parse it with `parseLarkMessage` or `parseLarkCardAction`. */
  | { readonly ok: true; readonly kind: 'event'; readonly event: JsonObject }
  /** An old-style card callback (`card.action.trigger_v1`), signed as those are: refused, never served. */
  | { readonly ok: true; readonly kind: 'legacy-card-callback' }
  | { readonly ok: false; readonly reason: VerificationFailure };

function decryptedBody(rawBody: string | Uint8Array, encryptKey: string): JsonObject | VerificationFailure {
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  const outer = parseJsonObject(text);
  if (!outer.ok) return 'malformed';
  const encrypt = valueAt(outer.value, 'encrypt');
  if (encrypt === undefined) return outer.value;
  if (typeof encrypt !== 'string') return 'malformed';
  const plaintext = decryptLarkPayload(encrypt, encryptKey);
  if (plaintext === undefined) return 'undecryptable';
  const inner = parseJsonObject(plaintext);
  return inner.ok ? inner.value : 'malformed';
}

function isEncrypted(rawBody: string | Uint8Array): boolean {
  const outer = parseJsonObject(typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8'));
  return outer.ok && typeof valueAt(outer.value, 'encrypt') === 'string';
}

function isUrlVerification(body: JsonObject): boolean {
  return valueAt(body, 'type') === 'url_verification';
}

export function openLarkRequest(request: LarkRequest): OpenedLarkRequest {
  const { encryptKey } = request;
  if (encryptKey === undefined || encryptKey === '') return refused('not-configured');
  const signature = verifyLarkSignature(request);
  if (!signature.ok && signature.reason === 'bad-signature' && request.verificationToken && hasLegacyCardSignature(request, request.verificationToken)) {
    return { ok: true, kind: 'legacy-card-callback' };
  }
  if (!signature.ok && signature.reason !== 'missing-signature') return signature;
  const body = decryptedBody(request.rawBody, encryptKey);
  if (typeof body === 'string') return refused(body);
  const challenge = isUrlVerification(body);
  // Lark may not sign the URL-verification request. Echoing a challenge has no side effect, and an
  // encrypted one already proves knowledge of the key; everything else must be signed.
  if (!signature.ok && !(challenge && isEncrypted(request.rawBody))) return signature;
  if (request.verificationToken) {
    // The challenge carries the token at the top level; schema 2.0 events carry it in the header.
    const token = valueAt(body, challenge ? 'token' : 'header.token');
    if (typeof token !== 'string' || !timingSafeEqualText(token, request.verificationToken)) return refused('bad-token');
  }
  if (!challenge) return { ok: true, kind: 'event', event: body };
  const answer = valueAt(body, 'challenge');
  return typeof answer === 'string' ? { ok: true, kind: 'challenge', challenge: answer } : refused('malformed');
}

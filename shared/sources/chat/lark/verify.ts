/**
 * Lark/Feishu event signature (docs/sources.md, "Chat platforms"), present when an Encrypt Key is configured:
 * `X-Lark-Signature = hex(SHA-256(timestamp + nonce + encryptKey + rawBody))` — a plain hash, not
 * an HMAC. The raw bytes are hashed: Lark's node SDK hashes a re-serialised body, which only
 * matches compact JSON.
 */
import { createHash } from 'node:crypto';
import { headerValue } from '../../../runtime/http';
import { isFresh, parseTimestamp, refused, timingSafeEqualText, VERIFIED, type Verification } from '../verification';

/**
 * Lark documents no replay window, so without one a captured request stays valid forever. Lark
 * delivers an unanswered event again after about 15 s, 5 min, 1 h and 6 h. Ten minutes answers the
 * first two — a confirm answered twice buys once, its ClientToken being the code's — and refuses the
 * later ones as stale: a confirmation code lives ten minutes, so a confirm that late could buy nothing.
 */
export const LARK_WINDOW_MS = 600_000;

export interface LarkSignedRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received (Base64-decoded when FC says `isBase64Encoded`). */
  readonly rawBody: string | Uint8Array;
  /** Current time, ms since the epoch. */
  readonly now: number;
  /** The app's Encrypt Key; absent or empty refuses every request. */
  readonly encryptKey: string | undefined;
}

export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string | Uint8Array): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey)
    .update(rawBody)
    .digest('hex');
}

/**
 * Whether the request carries, within the same window, the signature of Lark's old card callback
 * (消息卡片请求网址, `card.action.trigger_v1`, docs/buttons.md §3.3): hex SHA-1(timestamp + nonce
 * + Verification Token + raw body). Only so that such a callback is refused clearly (it is never
 * served: a new app's card callback is `card.action.trigger`, signed like events).
 */
export function hasLegacyCardSignature(request: Omit<LarkSignedRequest, 'encryptKey'>, verificationToken: string): boolean {
  const stamped = stampedWithinWindow(request);
  if ('refused' in stamped) return false;
  const expected = createHash('sha1')
    .update(stamped.timestamp + stamped.nonce + verificationToken)
    .update(request.rawBody)
    .digest('hex');
  return timingSafeEqualText(stamped.signature, expected);
}

export function verifyLarkSignature(request: LarkSignedRequest): Verification {
  const { encryptKey } = request;
  if (encryptKey === undefined || encryptKey === '') return refused('not-configured');
  const stamped = stampedWithinWindow(request);
  if ('refused' in stamped) return refused(stamped.refused);
  const expected = larkSignature(stamped.timestamp, stamped.nonce, encryptKey, request.rawBody);
  return timingSafeEqualText(stamped.signature, expected) ? VERIFIED : refused('bad-signature');
}

/** The signature headers both schemes share, when present and stamped within {@link LARK_WINDOW_MS}. */
function stampedWithinWindow(
  request: Pick<LarkSignedRequest, 'headers' | 'now'>,
): { timestamp: string; nonce: string; signature: string } | { refused: 'missing-signature' | 'bad-timestamp' | 'stale' } {
  const timestamp = headerValue(request.headers, 'X-Lark-Request-Timestamp');
  const nonce = headerValue(request.headers, 'X-Lark-Request-Nonce');
  const signature = headerValue(request.headers, 'X-Lark-Signature');
  if (timestamp === undefined || nonce === undefined || signature === undefined) return { refused: 'missing-signature' };
  const seconds = parseTimestamp(timestamp);
  if (seconds === undefined) return { refused: 'bad-timestamp' };
  if (!isFresh(seconds * 1000, request.now, LARK_WINDOW_MS)) return { refused: 'stale' };
  return { timestamp, nonce, signature };
}

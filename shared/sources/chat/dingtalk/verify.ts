/**
 * DingTalk robot callback signature (docs/sources.md, "Chat platforms"):
 * `sign = Base64(HMAC-SHA256(appSecret, timestamp + "\n" + appSecret))`, timestamp in ms.
 * The body is not covered, so a captured request can be replayed with another body within the
 * window: callers must dedupe on `msgId` and must not trust URLs in the body blindly
 * (see `parseDingTalkMessage`).
 */
import { createHmac } from 'node:crypto';
import { headerValue } from '../../../runtime/http';
import { isFresh, parseTimestamp, refused, timingSafeEqualText, VERIFIED, type Verification } from '../verification';

/** DingTalk's documented window: one hour either way. */
export const DINGTALK_WINDOW_MS = 3_600_000;

export interface DingTalkRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Current time, ms since the epoch. */
  readonly now: number;
  /** The app's AppSecret (ClientSecret); absent or empty refuses every request. */
  readonly appSecret: string | undefined;
}

export function dingTalkSignature(appSecret: string, timestamp: string): string {
  return createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64');
}

export function verifyDingTalkRequest(request: DingTalkRequest): Verification {
  const { appSecret } = request;
  if (appSecret === undefined || appSecret === '') return refused('not-configured');
  const timestamp = headerValue(request.headers, 'timestamp');
  const sign = headerValue(request.headers, 'sign');
  if (timestamp === undefined || sign === undefined) return refused('missing-signature');
  const milliseconds = parseTimestamp(timestamp);
  if (milliseconds === undefined) return refused('bad-timestamp');
  if (!isFresh(milliseconds, request.now, DINGTALK_WINDOW_MS)) return refused('stale');
  return timingSafeEqualText(sign, dingTalkSignature(appSecret, timestamp)) ? VERIFIED : refused('bad-signature');
}

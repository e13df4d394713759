/**
 * Slack request signature, version v0 (docs/sources.md, "Chat platforms"):
 * `X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signingSecret, "v0:" + timestamp + ":" + rawBody))`.
 */
import { createHmac } from 'node:crypto';
import { headerValue } from '../../../runtime/http';
import { isFresh, parseTimestamp, refused, timingSafeEqualText, VERIFIED, type Verification } from '../verification';

/** Slack's own replay window: five minutes either way. */
export const SLACK_WINDOW_MS = 300_000;

export interface SlackRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received (Base64-decoded when FC says `isBase64Encoded`). */
  readonly rawBody: string | Uint8Array;
  /** Current time, ms since the epoch. */
  readonly now: number;
  /**
   * Signing secrets that are currently valid. Several during rotation: Slack keeps the previous
   * secret valid for 24 hours. Empty entries are ignored; none at all refuses every request.
   */
  readonly signingSecrets: readonly string[];
}

export function slackSignature(signingSecret: string, timestamp: string, rawBody: string | Uint8Array): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

export function verifySlackRequest(request: SlackRequest): Verification {
  const secrets = request.signingSecrets.filter((secret) => secret !== '');
  if (secrets.length === 0) return refused('not-configured');
  const timestamp = headerValue(request.headers, 'X-Slack-Request-Timestamp');
  const signature = headerValue(request.headers, 'X-Slack-Signature');
  if (timestamp === undefined || signature === undefined) return refused('missing-signature');
  const seconds = parseTimestamp(timestamp);
  if (seconds === undefined) return refused('bad-timestamp');
  if (!isFresh(seconds * 1000, request.now, SLACK_WINDOW_MS)) return refused('stale');
  // Every secret is tried (no early exit), so timing does not tell which one matched.
  const matches = secrets.map((secret) => timingSafeEqualText(signature, slackSignature(secret, timestamp, request.rawBody)));
  return matches.includes(true) ? VERIFIED : refused('bad-signature');
}

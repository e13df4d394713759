/**
 * What every chat-ops request check answers, and the two primitives they share: a constant-time
 * comparison and a freshness window.
 */

export const VERIFICATION_FAILURES = [
  /** The platform's secret is not configured: the platform is refused (fail closed). */
  'not-configured',
  /** A signature header, or the timestamp or nonce it covers, is absent. */
  'missing-signature',
  /** The timestamp header is not a whole number. */
  'bad-timestamp',
  /** The timestamp is outside the accepted window (replay protection). */
  'stale',
  /** The signature does not match. */
  'bad-signature',
  /** Lark: the verification token in the body does not match the configured one. */
  'bad-token',
  /** Lark: the `encrypt` field could not be decrypted with the configured key. */
  'undecryptable',
  /** Lark: the (decrypted) body is not a JSON object. */
  'malformed',
] as const;

export type VerificationFailure = (typeof VERIFICATION_FAILURES)[number];

export type Verification = { readonly ok: true } | { readonly ok: false; readonly reason: VerificationFailure };

export const VERIFIED: Verification = { ok: true };

export function refused(reason: VerificationFailure): Verification & { ok: false } {
  return { ok: false, reason };
}

export { timingSafeEqualText } from '../../clients/signer/constant-time';

/** A timestamp header as a number, or `undefined` unless it is plain decimal digits. */
export function parseTimestamp(text: string): number | undefined {
  return /^\d{1,16}$/.test(text) ? Number(text) : undefined;
}

/** True when `timestampMs` is within `windowMs` of `nowMs`, in either direction (clock skew). */
export function isFresh(timestampMs: number, nowMs: number, windowMs: number): boolean {
  return Math.abs(nowMs - timestampMs) <= windowMs;
}

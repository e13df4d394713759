/**
 * Stateless confirmation and approval codes: the code itself carries the normalised request, who
 * asked and when it expires, signed with HMAC-SHA256, so `confirm` (or an approver's `approve`) can
 * arrive in any later message (or on another function instance) and nothing needs storing. The
 * content is readable by whoever has the code (it is compressed, not encrypted) but cannot be altered
 * or forged without the key. The two kinds are signed under different domains: a confirmation code is
 * never an approval code, nor the reverse.
 *
 * Layout: base62(deflate(JSON [version, expiresAt, requester, request(, clientToken)])) followed by a
 * fixed 22-character base62 signature (128 bits) — letters and digits only, so it survives copy-paste.
 */
import { createHash, createHmac } from 'node:crypto';

// Loaded on first use: only `create` and `confirm` need it, so it stays off the cold-start path.
const zlib = (): typeof import('node:zlib') => require('node:zlib');

import { ProductError, ValidationError } from '../../core/errors';
import { AREAS, type BandwidthPlanRequest, validateBandwidthPlan } from '../../core/schema';
import { decodeBase62, encodeBase62 } from './base62';
import { MAX_BUTTON_VALUE } from './message';
import { timingSafeEqualText } from './verification';

export const CONFIRMATION_TTL_MS = 600_000;
/** 32 characters: at least 128 bits even for a hex key. */
export const MIN_CONFIRMATION_KEY_LENGTH = 32;

const VERSION = 1;
const APPROVAL_VERSION = 2;
const SIGNATURE_BYTES = 16;
/** base62 of 16 bytes behind the 0x01 sentinel is always 22 characters. */
const SIGNATURE_CHARS = 22;
/**
 * A code fits a button. The longest chat request — a 256-character description that does not
 * compress (CJK), a 128-character name, 128-character ids in the requester — makes a code of about
 * 1,500 characters; only a caller's many long tags go past it, and are refused when the code is issued.
 */
const MAX_CODE_CHARS = MAX_BUTTON_VALUE;
/**
 * The most a code may inflate to (a guard against a crafted code; the longest valid request with its
 * requester is ~12 KB of JSON). Issuing checks it too, so a code always opens again.
 */
const MAX_PAYLOAD_BYTES = 32_768;
const DOMAIN = `bwp-confirmation/v${VERSION}\n`;
const APPROVAL_DOMAIN = `bwp-approval/v${APPROVAL_VERSION}\n`;

// zlib's preset dictionary: text every payload repeats, so a code is about half as long.
// Changing it invalidates codes in flight, which live ten minutes.
const DICTIONARY = Buffer.from(
  `"slack:","dingtalk:","lark:","${AREAS.join('","')}",{"Bandwidth":100,"GeographicRegionAId":"","GeographicRegionBId":"",` +
    '"Name":"","Description":"","BandwidthPackageChargeType":"POSTPAY","PricingCycle":"Month","Period":1,"AutoPay":false,"AutoRenew":true}]',
);

export interface ConfirmationIssue {
  /** The validated, normalised request (`validateBandwidthPlan(...).request`). */
  readonly request: BandwidthPlanRequest;
  /** The asker's `userKey`; only they can confirm. */
  readonly requester: string;
  /** Current time, ms since the epoch. */
  readonly now: number;
  /** Secret HMAC key, at least {@link MIN_CONFIRMATION_KEY_LENGTH} characters. */
  readonly key: string;
  /** How long the code is valid; default {@link CONFIRMATION_TTL_MS} (10 minutes). */
  readonly ttlMs?: number;
}

export interface ConfirmationCheck {
  /** The `userKey` of whoever sent `confirm`. */
  readonly requester: string;
  readonly now: number;
  /** Every key a code may be signed with (CHATOPS_CONFIRM_SECRET, rotated ones included). */
  readonly keys: readonly string[];
}

export const CONFIRMATION_FAILURES = ['malformed', 'tampered', 'expired', 'other-user'] as const;
export type ConfirmationFailure = (typeof CONFIRMATION_FAILURES)[number];

export type Confirmation =
  | {
      readonly ok: true;
      readonly request: BandwidthPlanRequest;
      /** ms since the epoch. */
      readonly expiresAt: number;
      /** Stable id of this code (hex), for logs; {@link clientTokenForConfirmation} is built from it. */
      readonly codeId: string;
    }
  | { readonly ok: false; readonly reason: ConfirmationFailure };

function requireKey(key: string): void {
  if (key.length < MIN_CONFIRMATION_KEY_LENGTH) {
    throw new ProductError('ConfigurationError', `The confirmation key must be at least ${MIN_CONFIRMATION_KEY_LENGTH} characters.`);
  }
}

function signature(payload: string, key: string, domain: string = DOMAIN): string {
  const mac = createHmac('sha256', key)
    .update(domain + payload)
    .digest();
  return encodeBase62(mac.subarray(0, SIGNATURE_BYTES));
}

export function issueConfirmationCode(issue: ConfirmationIssue): string {
  requireKey(issue.key);
  const ttlMs = issue.ttlMs ?? CONFIRMATION_TTL_MS;
  const json = JSON.stringify([VERSION, issue.now + ttlMs, issue.requester, issue.request]);
  const payload = encodeBase62(zlib().deflateRawSync(json, { level: 9, dictionary: DICTIONARY }));
  return payload + signature(payload, issue.key);
}

/** The signed content, or `undefined` when it does not decode to a payload of `version`. */
function readPayload(payload: string, version: number = VERSION): { expiresAt: number; requester: string; request: unknown; rest: unknown[] } | undefined {
  const compressed = decodeBase62(payload);
  if (compressed === undefined) return undefined;
  let content: unknown;
  try {
    content = JSON.parse(zlib().inflateRawSync(compressed, { dictionary: DICTIONARY, maxOutputLength: MAX_PAYLOAD_BYTES }).toString('utf8'));
  } catch {
    // Only reachable with a valid signature over bad content (e.g. a key shared with another format).
    return undefined;
  }
  // A confirmation payload has four fields, an approval payload five (the ClientToken, or null).
  if (!Array.isArray(content) || content.length !== (version === VERSION ? 4 : 5)) return undefined;
  const [found, expiresAt, requester, request, ...rest] = content as unknown[];
  if (found !== version || typeof expiresAt !== 'number' || typeof requester !== 'string') return undefined;
  return { expiresAt, requester, request, rest };
}

/** A code's verified content, before any check of who sent it or when. */
type Opened =
  | { readonly ok: true; readonly request: BandwidthPlanRequest; readonly requester: string; readonly expiresAt: number; readonly rest: unknown[] }
  | { readonly ok: false; readonly reason: 'malformed' | 'tampered' };

function openCode(code: string, keys: readonly string[], domain: string, version: number): Opened {
  if (keys.length === 0) throw new ProductError('ConfigurationError', 'No confirmation key is configured.');
  for (const key of keys) requireKey(key);
  if (code.length <= SIGNATURE_CHARS || code.length > MAX_CODE_CHARS || !/^[0-9A-Za-z]+$/.test(code)) {
    return { ok: false, reason: 'malformed' };
  }
  const payload = code.slice(0, -SIGNATURE_CHARS);
  // The signature is checked before anything is decompressed or parsed, against every key (no early
  // exit, so timing does not tell which one matched).
  let signed = false;
  for (const key of keys) if (timingSafeEqualText(code.slice(-SIGNATURE_CHARS), signature(payload, key, domain))) signed = true;
  if (!signed) return { ok: false, reason: 'tampered' };
  const content = readPayload(payload, version);
  if (content === undefined) return { ok: false, reason: 'malformed' };
  // Validated again in case the schema changed since the code was issued.
  const validation = validateBandwidthPlan(content.request);
  if (!validation.ok) return { ok: false, reason: 'malformed' };
  return { ok: true, request: validation.request, requester: content.requester, expiresAt: content.expiresAt, rest: content.rest };
}

export function verifyConfirmationCode(code: string, check: ConfirmationCheck): Confirmation {
  const opened = openCode(code, check.keys, DOMAIN, VERSION);
  if (!opened.ok) return opened;
  if (opened.requester !== check.requester) return { ok: false, reason: 'other-user' };
  if (check.now >= opened.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, request: opened.request, expiresAt: opened.expiresAt, codeId: codeIdOf(code) };
}

export interface ApprovalCodeIssue extends ConfirmationIssue {
  /** The ClientToken the approved purchase uses (HTTP and async sources); absent: derived from the code (chat). */
  readonly clientToken?: string | undefined;
}

/** A code an approver sends as `approve <code>`; only another person on APPROVERS can use it. */
export function issueApprovalCode(issue: ApprovalCodeIssue): string {
  requireKey(issue.key);
  const json = JSON.stringify([APPROVAL_VERSION, issue.now + (issue.ttlMs ?? CONFIRMATION_TTL_MS), issue.requester, issue.request, issue.clientToken ?? null]);
  const payload = encodeBase62(zlib().deflateRawSync(json, { level: 9, dictionary: DICTIONARY }));
  const code = payload + signature(payload, issue.key, APPROVAL_DOMAIN);
  // A code no one could send back (longer than a Slack button holds, or than verifying inflates)
  // would leave the request waiting for ever: refused now, at no cost. Many long tags get here, or
  // an event id of thousands of characters (who asked travels in the code too).
  if (code.length > MAX_CODE_CHARS || Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
    const tagged = (issue.request.Tag?.length ?? 0) > 0;
    throw new ValidationError([
      {
        path: tagged ? 'Tag' : 'trigger',
        message: `makes this purchase too long to carry in an approval code (the request and who asked: ${code.length} of ${MAX_CODE_CHARS} characters): ${tagged ? 'send fewer or shorter tags' : 'use a shorter event id or source'}`,
      },
    ]);
  }
  return code;
}

export const APPROVAL_FAILURES = ['malformed', 'tampered', 'expired', 'not-approver', 'own-request'] as const;
export type ApprovalFailure = (typeof APPROVAL_FAILURES)[number];

export type Approval =
  | {
      readonly ok: true;
      readonly request: BandwidthPlanRequest;
      readonly requester: string;
      readonly expiresAt: number;
      /** The purchase's ClientToken: the one the code carries, else derived from the code. */
      readonly clientToken: string;
      readonly codeId: string;
    }
  | { readonly ok: false; readonly reason: ApprovalFailure; readonly requester?: string | undefined };

export interface ApprovalCheck {
  /** The `userKey` of whoever sent `approve` (or `reject`). */
  readonly approver: string;
  /** APPROVERS as configured now. */
  readonly approvers: readonly string[];
  readonly now: number;
  readonly keys: readonly string[];
}

/** Checks an approval code and its approver: on APPROVERS, not the requester, within the code's life. */
export function verifyApprovalCode(code: string, check: ApprovalCheck): Approval {
  const opened = openCode(code, check.keys, APPROVAL_DOMAIN, APPROVAL_VERSION);
  if (!opened.ok) return opened;
  const { requester } = opened;
  // The requester first: they may withdraw their own request, and are told why they cannot approve it.
  if (samePerson(check.approver, requester)) return { ok: false, reason: 'own-request', requester };
  if (!isListedUser(check.approver, check.approvers)) return { ok: false, reason: 'not-approver', requester };
  if (check.now >= opened.expiresAt) return { ok: false, reason: 'expired', requester };
  return {
    ok: true,
    request: opened.request,
    requester,
    expiresAt: opened.expiresAt,
    clientToken: carriedClientToken(code, opened.rest),
    codeId: codeIdOf(code),
  };
}

/** The ClientToken the approved purchase uses: the one the code carries (HTTP, async), else derived from the code (chat). */
function carriedClientToken(code: string, rest: readonly unknown[]): string {
  const carried = rest[0];
  return typeof carried === 'string' && carried !== '' ? carried : clientTokenForConfirmation(code);
}

/** A genuine approval code's content, whoever holds it and whenever; undefined when it is not one. */
export function readApprovalCode(
  code: string,
  keys: readonly string[],
): { request: BandwidthPlanRequest; requester: string; clientToken: string; expiresAt: number } | undefined {
  const opened = openCode(code, keys, APPROVAL_DOMAIN, APPROVAL_VERSION);
  return opened.ok
    ? { request: opened.request, requester: opened.requester, clientToken: carriedClientToken(code, opened.rest), expiresAt: opened.expiresAt }
    : undefined;
}

/**
 * Whether two user keys are one person: the same platform and user id, whatever the tenant. A Slack
 * user id is the same person in every workspace of an Enterprise Grid, and an entry without its
 * tenant (`slack:U…`) matches them all — so a requester seen from another workspace is still the
 * requester. (Two DingTalk companies may reuse a staff id: refusing that pair is the safe mistake.)
 */
export function samePerson(a: string, b: string): boolean {
  return personOf(a) === personOf(b);
}

/** Lists name immutable ids: `slack:T…/U…` (tenant-qualified) or `slack:U…`; `userKey` is the former. */
export function isListedUser(userKey: string, users: readonly string[]): boolean {
  return users.includes(userKey) || users.includes(personOf(userKey));
}

/** A user key without its tenant (`slack:T…/U…` → `slack:U…`); a key without one stays as it is. */
function personOf(key: string): string {
  const [, platform, user] = /^([^:]+):(?:[^/]+\/)?(.+)$/.exec(key) ?? [];
  return platform === undefined ? key : `${platform}:${user}`;
}

function codeIdOf(code: string): string {
  return createHash('sha256').update(code.slice(-SIGNATURE_CHARS)).digest('hex').slice(0, 32);
}

/**
 * The ClientToken for buying what `code` confirms: `chat-` + 32 hex characters derived from the
 * signature, so confirming the same code twice sends the same token and CEN creates one plan.
 */
export function clientTokenForConfirmation(code: string): string {
  return `chat-${codeIdOf(code)}`;
}

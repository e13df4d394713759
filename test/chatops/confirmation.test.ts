import { createHmac } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProductError } from '../../shared/core/errors';
import { type BandwidthPlanRequest, validateBandwidthPlan } from '../../shared/core/schema';
import { encodeBase62 } from '../../shared/sources/chat/base62';
import { clientTokenForConfirmation, issueConfirmationCode, verifyConfirmationCode } from '../../shared/sources/chat/confirmation';

const KEY = 'confirmation-key-0123456789abcdef';
const NOW = 1_700_000_000_000;
const ALICE = 'slack:T1DC2JH3J/U2CERLKJA';
const BOB = 'slack:T1DC2JH3J/U0BOB0000';
const REQUEST: BandwidthPlanRequest = {
  Bandwidth: 100,
  GeographicRegionAId: 'China',
  GeographicRegionBId: 'Europe',
  Name: 'my-plan',
  Description: 'text with spaces, “quotes” and 中文',
  BandwidthPackageChargeType: 'PREPAY',
  PricingCycle: 'Month',
  Period: 3,
  AutoPay: true,
  AutoRenew: false,
};
const CODE = issueConfirmationCode({ request: REQUEST, requester: ALICE, now: NOW, key: KEY });

/** `code` with the character at `index` replaced by another letter or digit. */
function flip(code: string, index: number): string {
  const position = index < 0 ? code.length + index : index;
  const replacement = code[position] === 'a' ? 'b' : 'a';
  return code.slice(0, position) + replacement + code.slice(position + 1);
}

describe('issueConfirmationCode', () => {
  it('is letters and digits only, short enough to paste', () => {
    expect(CODE).toMatch(/^[0-9A-Za-z]{23,200}$/);
  });

  it('fits a Slack button (2000) and still verifies for the longest request and requester', () => {
    // Characters that do not compress: a description of 256 distinct CJK characters, a name of 128 mixed ones.
    const description = Array.from({ length: 256 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20_000))).join('');
    const name = `n${Array.from({ length: 127 }, (_, i) => '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[(i * 37) % 62]).join('')}`;
    const validation = validateBandwidthPlan({ ...REQUEST, Name: name, Description: description });
    if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
    const requester = `dingtalk:${'c7'.repeat(64)}/${'s9'.repeat(64)}`;
    const code = issueConfirmationCode({ request: validation.request, requester, now: NOW, key: KEY });

    expect(code.length).toBeGreaterThan(1_000);
    expect(code.length).toBeLessThanOrEqual(2_000);
    expect(verifyConfirmationCode(code, { requester, now: NOW, keys: [KEY] })).toMatchObject({ ok: true });
  });

  it('is deterministic for the same input', () => {
    expect(issueConfirmationCode({ request: REQUEST, requester: ALICE, now: NOW, key: KEY })).toBe(CODE);
  });

  it.each(['', 'short', 'x'.repeat(31)])('refuses a key of %d characters as a configuration error', (key) => {
    expect(() => issueConfirmationCode({ request: REQUEST, requester: ALICE, now: NOW, key: key })).toThrow(ProductError);
    expect(() => verifyConfirmationCode(CODE, { requester: ALICE, now: NOW, keys: [key] })).toThrow('The confirmation key must be at least 32 characters.');
  });

  it('does not contain the key', () => {
    expect(CODE).not.toContain(KEY);
  });
});

describe('verifyConfirmationCode', () => {
  it('round-trips the request for the same user within ten minutes', () => {
    expect(verifyConfirmationCode(CODE, { requester: ALICE, now: NOW + 599_999, keys: [KEY] })).toEqual({
      ok: true,
      request: REQUEST,
      expiresAt: NOW + 600_000,
      codeId: clientTokenForConfirmation(CODE).slice('chat-'.length),
    });
  });

  it('round-trips a pay-as-you-go request with defaults', () => {
    const request: BandwidthPlanRequest = {
      Bandwidth: 2,
      GeographicRegionAId: 'North-America',
      GeographicRegionBId: 'Australia',
      BandwidthPackageChargeType: 'POSTPAY',
      PricingCycle: 'Month',
      AutoPay: false,
      Period: 1,
    };
    const code = issueConfirmationCode({ request, requester: 'dingtalk:dinge8a565xxxx/user123', now: NOW, key: KEY, ttlMs: 60_000 });
    expect(verifyConfirmationCode(code, { requester: 'dingtalk:dinge8a565xxxx/user123', now: NOW, keys: [KEY] })).toMatchObject({
      ok: true,
      request,
      expiresAt: NOW + 60_000,
    });
  });

  it.each([
    ['a flipped first payload character', flip(CODE, 0), ALICE, NOW, KEY, 'tampered'],
    ['a flipped middle payload character', flip(CODE, 20), ALICE, NOW, KEY, 'tampered'],
    ['a flipped first signature character', flip(CODE, -22), ALICE, NOW, KEY, 'tampered'],
    ['a flipped last signature character', flip(CODE, -1), ALICE, NOW, KEY, 'tampered'],
    ['a payload character dropped', CODE.slice(1), ALICE, NOW, KEY, 'tampered'],
    ['another key', CODE, ALICE, NOW, 'another-confirmation-key-0123456789', 'tampered'],
    ['another user', CODE, BOB, NOW, KEY, 'other-user'],
    ['the same user id in another workspace', CODE, 'slack:T0OTHER00/U2CERLKJA', NOW, KEY, 'other-user'],
    ['another user after expiry', CODE, BOB, NOW + 600_000, KEY, 'other-user'],
    ['the moment it expires', CODE, ALICE, NOW + 600_000, KEY, 'expired'],
    ['an hour later', CODE, ALICE, NOW + 3_600_000, KEY, 'expired'],
    ['an empty code', '', ALICE, NOW, KEY, 'malformed'],
    ['only a signature', CODE.slice(-22), ALICE, NOW, KEY, 'malformed'],
    ['a pasted code with punctuation', `${CODE}.`, ALICE, NOW, KEY, 'malformed'],
    ['a code with a space', `${CODE.slice(0, 10)} ${CODE.slice(10)}`, ALICE, NOW, KEY, 'malformed'],
    ['an absurdly long code', 'a'.repeat(2_001), ALICE, NOW, KEY, 'malformed'],
  ])('refuses %s', (_name, code, requester, now, key, reason) => {
    expect(verifyConfirmationCode(code, { requester, now, keys: [key] })).toEqual({ ok: false, reason });
  });

  it('refuses any single changed character', () => {
    fc.assert(
      fc.property(fc.nat(CODE.length - 1), fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'), (index, char) => {
        fc.pre(CODE[index] !== char);
        const changed = CODE.slice(0, index) + char + CODE.slice(index + 1);
        expect(verifyConfirmationCode(changed, { requester: ALICE, now: NOW, keys: [KEY] })).toEqual({ ok: false, reason: 'tampered' });
      }),
    );
  });

  const valid = JSON.stringify(REQUEST);
  it.each([
    ['is not compressed', Buffer.from(`[1,${NOW + 1},"${ALICE}",${valid}]`)],
    ['has another version', deflateRawSync(`[2,${NOW + 1},"${ALICE}",${valid}]`)],
    ['is not a list of four', deflateRawSync(`[1,${NOW + 1},"${ALICE}",${valid},0]`)],
    ['has no expiry', deflateRawSync(`[1,null,"${ALICE}",${valid}]`)],
    ['has a request that is not valid', deflateRawSync(`[1,${NOW + 1},"${ALICE}",{}]`)],
  ])('refuses a correctly signed payload that %s', (_name, bytes) => {
    const payload = encodeBase62(bytes);
    const mac = createHmac('sha256', KEY).update(`bwp-confirmation/v1\n${payload}`).digest().subarray(0, 16);
    expect(verifyConfirmationCode(payload + encodeBase62(mac), { requester: ALICE, now: NOW, keys: [KEY] })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a correctly signed request the schema no longer accepts', () => {
    const code = issueConfirmationCode({ request: { ...REQUEST, Bandwidth: 1 }, requester: ALICE, now: NOW, key: KEY });
    expect(verifyConfirmationCode(code, { requester: ALICE, now: NOW, keys: [KEY] })).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('clientTokenForConfirmation', () => {
  it('is the same for the same code, a valid ClientToken', () => {
    const token = clientTokenForConfirmation(CODE);
    expect(token).toBe(clientTokenForConfirmation(`${CODE}`));
    expect(token).toMatch(/^chat-[0-9a-f]{32}$/);
  });

  it('differs between codes for the same request issued at different times', () => {
    const later = issueConfirmationCode({ request: REQUEST, requester: ALICE, now: NOW + 1, key: KEY });
    expect(clientTokenForConfirmation(later)).not.toBe(clientTokenForConfirmation(CODE));
  });
});

describe('confirmation keys rotate', () => {
  it('a code signed with the previous key verifies while both are configured, and not after', () => {
    const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
    if (!validation.ok) throw new Error('fixture');
    const OLD = 'old-key-0123456789abcdefghijklmnopqrstuvwxyz';
    const NEW = 'new-key-0123456789abcdefghijklmnopqrstuvwxyz';
    const code = issueConfirmationCode({ request: validation.request, requester: 'slack:T1/U1', now: 0, key: OLD });
    expect(verifyConfirmationCode(code, { requester: 'slack:T1/U1', now: 1, keys: [NEW, OLD] })).toMatchObject({ ok: true });
    expect(verifyConfirmationCode(code, { requester: 'slack:T1/U1', now: 1, keys: [NEW] })).toEqual({ ok: false, reason: 'tampered' });
  });
});

/**
 * The guardrails (shared/core/policy.ts): each refuses with a reason naming its variable; the prepaid
 * commitment (term and automatic renewals) is bounded by MAX_PREPAID_MONTHS.
 */
import { describe, expect, it } from 'vitest';
import { evaluateGuardrails, type Guardrails } from '../../shared/core/policy';
import { validateBandwidthPlan } from '../../shared/core/schema';

const OPEN: Guardrails = { maxBandwidthMbps: 1000, allowedChargeTypes: ['POSTPAY', 'PREPAY'], maxPrepaidMonths: 12 };
const plan = (input: Record<string, unknown>) => {
  const validation = validateBandwidthPlan({ Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe', ...input });
  if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
  return validation.request;
};

describe('MAX_PREPAID_MONTHS', () => {
  it.each([
    ['a 12-month term', { BandwidthPackageChargeType: 'PREPAY', Period: 1, PricingCycle: 'Year' }, []],
    ['a 6-month term renewing by 12 months', { BandwidthPackageChargeType: 'PREPAY', Period: 6, AutoRenew: true, AutoRenewDuration: 12 }, []],
    [
      'a 2-year term',
      { BandwidthPackageChargeType: 'PREPAY', Period: 2, PricingCycle: 'Year' },
      ['a prepaid term of 24 months is longer than 12 (MAX_PREPAID_MONTHS)'],
    ],
    [
      'renewals of 999999999 months',
      { BandwidthPackageChargeType: 'PREPAY', Period: 1, AutoRenew: true, AutoRenewDuration: 999_999_999 },
      ['automatic renewals of 999999999 months are longer than 12 (MAX_PREPAID_MONTHS)'],
    ],
    ['pay-as-you-go, which commits to nothing', { BandwidthPackageChargeType: 'POSTPAY' }, []],
  ])('%s', (_name, input, reasons) => {
    const verdict = evaluateGuardrails(plan(input), OPEN);
    expect(verdict.reasons).toEqual(reasons);
    expect(verdict.allowed).toBe(reasons.length === 0);
  });

  it('is no limit when unset', () => {
    expect(
      evaluateGuardrails(plan({ BandwidthPackageChargeType: 'PREPAY', Period: 3, PricingCycle: 'Year' }), { ...OPEN, maxPrepaidMonths: undefined }).allowed,
    ).toBe(true);
  });
});

describe('AutoRenewDuration', () => {
  it('refuses more than the API’s 32-bit range', () => {
    const validation = validateBandwidthPlan({
      Bandwidth: 10,
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'Europe',
      AutoRenew: true,
      AutoRenewDuration: 2 ** 31,
    });
    expect(validation.ok).toBe(false);
  });
});

/**
 * The owner's rules, pure: billing defaults filled in before validation (DEFAULT_CHARGE_TYPE,
 * DEFAULT_PERIOD) and the guardrails applied after it, before any purchase.
 */
import type { Area, BandwidthPlanRequest, ChargeType, PricingCycle } from './schema';

export interface Guardrails {
  readonly maxBandwidthMbps: number;
  readonly allowedChargeTypes: readonly ChargeType[];
  /** Undefined: every area is allowed. */
  readonly allowedAreas?: readonly Area[] | undefined;
  /**
   * The longest prepaid commitment, in months: the term (Period × PricingCycle) and each automatic
   * renewal (AutoRenewDuration). A prepaid plan cannot be cancelled before it expires. Undefined: no limit.
   */
  readonly maxPrepaidMonths?: number | undefined;
}

/**
 * What a request that leaves its billing unsaid is given. The API's own default charge type is
 * POSTPAY (the schema's), which most accounts can no longer buy: an owner sets PREPAY here.
 */
export interface BillingDefaults {
  readonly chargeType: ChargeType;
  /** The prepaid term a PREPAY request without one gets. */
  readonly period: number;
  readonly pricingCycle: PricingCycle;
}

export const API_BILLING_DEFAULTS: BillingDefaults = { chargeType: 'POSTPAY', period: 1, pricingCycle: 'Month' };

/**
 * `input` with the owner's billing defaults filled in where it says nothing, and a note for each: a
 * request naming its charge type (or not being an object) is left as it is.
 */
export function applyBillingDefaults(input: unknown, defaults: BillingDefaults): { input: unknown; notes: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { input, notes: [] };
  const given = input as Record<string, unknown>;
  if (given.BandwidthPackageChargeType !== undefined || defaults.chargeType !== 'PREPAY') return { input, notes: [] };
  const filled: Record<string, unknown> = { ...given, BandwidthPackageChargeType: 'PREPAY' };
  const notes = ['BandwidthPackageChargeType PREPAY is the owner’s default (DEFAULT_CHARGE_TYPE).'];
  if (filled.PricingCycle === undefined) filled.PricingCycle = defaults.pricingCycle;
  if (filled.Period === undefined && filled.PricingCycle === defaults.pricingCycle) {
    filled.Period = defaults.period;
    notes.push(`Period ${defaults.period} ${defaults.pricingCycle} is the owner’s default (DEFAULT_PERIOD).`);
  }
  return { input: filled, notes };
}

export interface GuardrailVerdict {
  readonly allowed: boolean;
  /** Why the request is refused (empty when allowed). */
  readonly reasons: readonly string[];
  /** Things the requester should know even when allowed. */
  readonly notes: readonly string[];
}

export const AWAITING_PAYMENT_NOTE =
  'PREPAY without AutoPay creates an unpaid order: the plan is created only after the order is paid in the Alibaba Cloud console.';

export function evaluateGuardrails(request: BandwidthPlanRequest, guardrails: Guardrails): GuardrailVerdict {
  const reasons: string[] = [];
  if (request.Bandwidth > guardrails.maxBandwidthMbps) {
    reasons.push(`Bandwidth ${request.Bandwidth} Mbit/s is above the limit of ${guardrails.maxBandwidthMbps} Mbit/s (MAX_BANDWIDTH_MBPS)`);
  }
  if (!guardrails.allowedChargeTypes.includes(request.BandwidthPackageChargeType)) {
    reasons.push(
      `BandwidthPackageChargeType ${request.BandwidthPackageChargeType} is not allowed (ALLOWED_CHARGE_TYPES: ${guardrails.allowedChargeTypes.join(', ')})`,
    );
  }
  const areas = guardrails.allowedAreas;
  if (areas) {
    for (const field of ['GeographicRegionAId', 'GeographicRegionBId'] as const) {
      if (!areas.includes(request[field])) reasons.push(`${field} ${request[field]} is not allowed (ALLOWED_AREAS: ${areas.join(', ')})`);
    }
  }
  const months = guardrails.maxPrepaidMonths;
  if (months !== undefined && request.BandwidthPackageChargeType === 'PREPAY') {
    const term = request.Period * (request.PricingCycle === 'Year' ? 12 : 1);
    if (term > months) reasons.push(`a prepaid term of ${term} months is longer than ${months} (MAX_PREPAID_MONTHS)`);
    if (request.AutoRenew === true && (request.AutoRenewDuration ?? 1) > months) {
      reasons.push(`automatic renewals of ${request.AutoRenewDuration} months are longer than ${months} (MAX_PREPAID_MONTHS)`);
    }
  }
  const notes = awaitsPayment(request) ? [AWAITING_PAYMENT_NOTE] : [];
  return { allowed: reasons.length === 0, reasons, notes };
}

/** A prepaid order that is not paid automatically waits for someone to pay it in the console. */
export function awaitsPayment(request: BandwidthPlanRequest): boolean {
  return request.BandwidthPackageChargeType === 'PREPAY' && !request.AutoPay;
}

/** One line saying how the plan is paid for, and whether the order will wait for someone to pay it. */
export function billingSummary(request: BandwidthPlanRequest): string {
  if (request.BandwidthPackageChargeType !== 'PREPAY') return 'pay-as-you-go (POSTPAY)';
  const term = `${request.Period} ${request.PricingCycle === 'Year' ? 'year' : 'month'}${request.Period === 1 ? '' : 's'}`;
  return awaitsPayment(request)
    ? `prepaid for ${term} (PREPAY); the order will wait for payment in the console (AutoPay is off)`
    : `prepaid for ${term} (PREPAY), paid automatically (AutoPay)`;
}

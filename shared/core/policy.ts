/**
 * The owner's guardrails, applied after validation and before any purchase. Pure.
 */
import type { Guardrails } from '../runtime/config';
import type { BandwidthPlanRequest } from './schema';

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
  const notes = awaitsPayment(request) ? [AWAITING_PAYMENT_NOTE] : [];
  return { allowed: reasons.length === 0, reasons, notes };
}

/** A prepaid order that is not paid automatically waits for someone to pay it in the console. */
export function awaitsPayment(request: BandwidthPlanRequest): boolean {
  return request.BandwidthPackageChargeType === 'PREPAY' && !request.AutoPay;
}

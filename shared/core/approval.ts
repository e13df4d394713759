/**
 * Four-eyes approval: the owner's rule for which purchases need a second person (README "Approval"),
 * and what a pending approval carries. Guardrails come first: an approval never lifts one. The codes
 * themselves are issued by the chat-ops confirmation module, injected through {@link ApprovalIssuer}.
 */
import type { BandwidthPlanRequest } from './schema';

export interface ApprovalRule {
  /** A plan above this many Mbit/s needs approval; undefined: no bandwidth rule. */
  readonly aboveMbps?: number | undefined;
  /** Every PREPAY plan (a commitment that cannot be cancelled) needs approval. */
  readonly prepay: boolean;
  /** Who may approve: immutable chat ids, the allow-list's form (`slack:T…/U…`). */
  readonly approvers: readonly string[];
  /** How long an approval code is valid. */
  readonly ttlMs: number;
}

export const DEFAULT_APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;

/** Why `request` needs approval under `rule`; empty: it does not. */
export function approvalReasons(request: BandwidthPlanRequest, rule: ApprovalRule): string[] {
  const reasons: string[] = [];
  if (rule.aboveMbps !== undefined && request.Bandwidth > rule.aboveMbps) {
    reasons.push(`${request.Bandwidth} Mbit/s is above ${rule.aboveMbps} Mbit/s (APPROVAL_ABOVE_MBPS)`);
  }
  if (rule.prepay && request.BandwidthPackageChargeType === 'PREPAY') reasons.push('it is PREPAY, a commitment that cannot be cancelled (APPROVAL_FOR_PREPAY)');
  return reasons;
}

/** The preview line: who must approve, and why. */
export function describeApproval(reasons: readonly string[], rule: ApprovalRule): string {
  return `Needs approval by one of ${rule.approvers.join(', ')}: ${reasons.join('; ')}`;
}

/** A purchase waiting for its approver: the code to approve it with, and until when. */
export interface PendingApproval {
  readonly code: string;
  /** ISO time. */
  readonly expiresAt: string;
  readonly approvers: readonly string[];
  readonly reasons: readonly string[];
}

/** Issues approval codes (MAC'd, stateless); wired by the composition root. */
export interface ApprovalIssuer {
  /**
   * A code for `request` asked by `requester` (a chat user key, or the trigger's identity for HTTP and
   * async sources), carrying the ClientToken the approved purchase will use when there is one.
   */
  issue(request: BandwidthPlanRequest, requester: string, clientToken: string | undefined, now: number): Promise<{ code: string; expiresAt: number }>;
}

/**
 * What one purchase attempt ended as. The pipeline produces it; the notifier publishes it; the
 * sources turn it into their reply (HTTP response, chat message, async result).
 */
import type { Issue } from './errors';
import type { BandwidthPlanRequest } from './schema';

export const OUTCOME_KINDS = ['created', 'pending', 'failed', 'rejected'] as const;
/**
 * - `created`: the plan exists and reached `Idle`/`InUse`.
 * - `pending`: the plan was ordered but was not ready before the wait ended (or awaits payment).
 * - `failed`: the API call failed (upstream error, network, deadline).
 * - `rejected`: refused before any API call (validation, guardrails, authorization).
 */
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export const TRIGGER_KINDS = ['http', 'eventbridge', 'timer', 'dingtalk', 'slack', 'lark'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** Where the request came from and who asked. */
export interface Trigger {
  readonly kind: TriggerKind;
  /** The event's own identity: EventBridge `source/id`, timer `triggerName@triggerTime`, chat message id, HTTP request id. */
  readonly id: string;
  /** Who asked, where known: a chat user (`slack:T…/U…`) or an HTTP source IP. */
  readonly requester?: string | undefined;
}

export interface OutcomeResult {
  readonly CenBandwidthPackageId: string;
  readonly CenBandwidthPackageOrderId?: string | undefined;
  /** The plan's status when the wait ended (`Idle`, `InUse`, …) or `pending`. */
  readonly Status: string;
  /** Upstream RequestId of the create call. */
  readonly RequestId: string;
}

export interface OutcomeError {
  readonly code: string;
  readonly message: string;
  readonly requestId?: string | undefined;
  readonly retryable: boolean;
  readonly issues?: readonly Issue[] | undefined;
}

export interface Outcome {
  readonly kind: OutcomeKind;
  readonly trigger: Trigger;
  /** FC request id of the invocation that produced the outcome. */
  readonly fcRequestId: string;
  readonly clientToken?: string | undefined;
  /** The request exactly as sent (or as it would have been sent); absent when it did not validate. */
  readonly request?: BandwidthPlanRequest | undefined;
  readonly result?: OutcomeResult | undefined;
  readonly error?: OutcomeError | undefined;
  /** Plain-language remarks, e.g. that a PREPAY order awaits payment in the console. */
  readonly notes?: readonly string[] | undefined;
}

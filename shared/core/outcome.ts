/**
 * What one purchase attempt ended as. The pipeline produces it; the notifier publishes it; the
 * sources turn it into their reply (HTTP response, chat message, async result).
 */
import type { PendingApproval } from './approval';
import type { Issue } from './errors';
import type { BandwidthPlanRequest } from './schema';

export const OUTCOME_KINDS = ['created', 'pending', 'failed', 'rejected', 'awaiting-approval'] as const;
/**
 * - `created`: the plan exists and reached `Idle`/`InUse`.
 * - `pending`: the plan was ordered but was not ready before the wait ended (or awaits payment).
 * - `failed`: the API call failed (upstream error, network, deadline).
 * - `rejected`: refused before any API call (validation, guardrails, authorization, an approver).
 * - `awaiting-approval`: not bought: it needs one of APPROVERS, who approves it with the code.
 */
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/**
 * The MNS filter tag of each kind: at most 16 characters (docs/sources.md, "MNS"), so
 * `awaiting-approval` (17) is tagged `awaits-approval`.
 */
export const MESSAGE_TAGS: Readonly<Record<OutcomeKind, string>> = {
  created: 'created',
  pending: 'pending',
  failed: 'failed',
  rejected: 'rejected',
  'awaiting-approval': 'awaits-approval',
};

/** The chat platforms; each has its HTTP route `POST /chatops/{platform}`. */
export const CHAT_PLATFORMS = ['dingtalk', 'slack', 'lark'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

/**
 * Where a purchase attempt came from. `unrecognised`: an async event (or an element of a batch) that is
 * none of the others, e.g. a bare `data` object from an EventBridge `$.data` transform.
 */
export const TRIGGER_KINDS = ['http', 'eventbridge', 'timer', ...CHAT_PLATFORMS, 'unrecognised'] as const;
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
  /** `awaiting-approval`: the code an approver sends, its expiry, who may approve and why. */
  readonly approval?: PendingApproval | undefined;
  /** Who approved the purchase (or rejected it), when it needed approval. */
  readonly approver?: string | undefined;
  /**
   * What arrived, as JSON text cut to {@link MAX_RECEIVED_CHARACTERS}, when it could not be read as a
   * request at all (an async event or batch element that is not a CloudEvent): the only record of it.
   */
  readonly received?: string | undefined;
}

export const MAX_RECEIVED_CHARACTERS = 2_000;

/** Containers deeper than this are shown as `[…]`/`{…}`: what arrived may nest deeper than a stack allows. */
const MAX_RECEIVED_DEPTH = 16;

/**
 * `value` as JSON text (a string as itself), cut to {@link MAX_RECEIVED_CHARACTERS} characters and
 * {@link MAX_RECEIVED_DEPTH} levels. Written out here rather than with JSON.stringify, which recurses
 * as deep as the value does (and throws on a 5,000-deep array).
 */
export function receivedExcerpt(value: unknown): string {
  let text = '';
  const full = () => text.length > MAX_RECEIVED_CHARACTERS;
  const write = (item: unknown, depth: number): void => {
    if (full()) return;
    if (typeof item !== 'object' || item === null) {
      text += (typeof item === 'string' && depth === 0 ? item : JSON.stringify(item)) ?? String(item);
      return;
    }
    if (depth >= MAX_RECEIVED_DEPTH) {
      text += Array.isArray(item) ? '[…]' : '{…}';
      return;
    }
    const entries: [string | undefined, unknown][] = Array.isArray(item) ? item.map((element) => [undefined, element]) : Object.entries(item);
    text += Array.isArray(item) ? '[' : '{';
    entries.forEach(([key, element], index) => {
      if (full()) return;
      if (index > 0) text += ',';
      if (key !== undefined) text += `${JSON.stringify(key)}:`;
      write(element, depth + 1);
    });
    text += Array.isArray(item) ? ']' : '}';
  };
  write(value, 0);
  const characters = Array.from(text);
  return characters.length <= MAX_RECEIVED_CHARACTERS ? text : `${characters.slice(0, MAX_RECEIVED_CHARACTERS).join('')}…`;
}

/**
 * The one pipeline every source feeds: validate → guardrails → create → wait → notify. It never buys
 * twice for one intent: the command's ClientToken is fixed before the first call and reused by every
 * retry. Each purchase attempt ends as an {@link Outcome} that is published and logged.
 */
import type { CenClient, CreatePlanRequest, PlanStatus } from '../clients/cen/client';
import type { Clock } from '../runtime/clock';
import type { Credentials } from '../runtime/credentials';
import type { Logger } from '../runtime/log';
import { type ApprovalIssuer, type ApprovalRule, approvalReasons, type PendingApproval } from './approval';
import { asBandwidthPlanError, type BandwidthPlanError, type Issue, ProductError, ValidationError } from './errors';
import {
  CLIENT_TOKEN_TAG_KEY,
  intentMismatches,
  type ListedPlan,
  PRODUCT_TAG_KEY,
  PRODUCT_TAG_VALUE,
  type QuotaRoom,
  quotaVerdict,
  type RunawayLimits,
  withIntentTags,
  withoutIntentTags,
} from './intent';
import type { NotificationReport, Notifier } from './notifications/notifier';
import type { Outcome, OutcomeKind, Trigger } from './outcome';
import { applyBillingDefaults, awaitsPayment, type BillingDefaults, evaluateGuardrails, type Guardrails, type GuardrailVerdict } from './policy';
import { type BandwidthPlanRequest, validateBandwidthPlan } from './schema';

export type { NotificationReport, Notifier };

/** The invocation being served. */
export interface Invocation {
  readonly fcRequestId: string;
  /** Epoch ms by which the invocation must have finished its upstream work. */
  readonly deadline: number;
  /** The function's credentials, read when first needed; throws a ConfigurationError when there are none. */
  credentials(): Credentials;
}

export interface PipelineDeps {
  readonly cen: CenClient;
  readonly notifier: Notifier;
  readonly guardrails: Guardrails;
  /** What a request that leaves its billing unsaid is given (DEFAULT_CHARGE_TYPE, DEFAULT_PERIOD). */
  readonly billingDefaults: BillingDefaults;
  /** The most this function may buy in a rolling 24 h (MAX_PLANS_PER_DAY, MAX_MBPS_PER_DAY). */
  readonly limits: RunawayLimits;
  /** Which purchases wait for an approver, and who issues their codes; undefined: none wait. */
  readonly approval?: { readonly rule: ApprovalRule; readonly issuer: ApprovalIssuer; readonly announce?: ApprovalAnnouncer } | undefined;
  /** How long to wait for a new plan to turn Idle/InUse. */
  readonly waitSeconds: number;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface CreateCommand {
  readonly trigger: Trigger;
  /** The parameters as received (unvalidated). */
  readonly input: unknown;
  /** Fixed by the source before anything is called: the caller's, derived from the event, or fresh. */
  readonly clientToken: string;
  readonly dryRun?: boolean;
  /** Problems the source found before validation (e.g. a payload that is not JSON): reported as rejected. */
  readonly inputIssues?: readonly Issue[];
  /** The approver of a purchase that needed approval (checked by whoever built the command). */
  readonly approvedBy?: string | undefined;
}

/** Tells the approval channel (a chat webhook) that a purchase waits; a failure is logged, never fatal. */
export type ApprovalAnnouncer = (outcome: Outcome, deadline: number) => Promise<void>;

export interface Preview {
  readonly kind: 'preview';
  /** Exactly what would be sent, ClientToken and intent tags included. */
  readonly request: CreatePlanRequest;
  readonly verdict: GuardrailVerdict;
  /** What the runaway limits leave, when they are set and could be read. */
  readonly room?: QuotaRoom | undefined;
  /** Why it would wait for an approver, and who may approve; absent when it would not. */
  readonly approval?: { readonly reasons: readonly string[]; readonly approvers: readonly string[] } | undefined;
}

export interface Completed {
  readonly kind: 'completed';
  readonly outcome: Outcome;
  readonly notification: NotificationReport;
  /** The error behind a `failed`/`rejected` outcome. */
  readonly error?: BandwidthPlanError;
}

/** Statuses of a plan that is ready for use. */
const READY_STATUSES = new Set(['Idle', 'InUse']);
/** Time kept back from the create and the wait so the outcome can still be published. */
const NOTIFY_RESERVE_MS = 3_000;
const POLL_FIRST_MS = 500;
const POLL_MAX_MS = 3_000;

/** The owner's rules a preview applies. */
export interface PreviewPolicy {
  readonly guardrails: Guardrails;
  readonly billingDefaults: BillingDefaults;
}

/**
 * Billing defaults, validation and guardrails only; nothing is called. The one preview every source
 * shows (the HTTP dry run, the chat `plan` and `create`): the request exactly as it would be sent,
 * with `clientToken` when it is known; the verdict's notes say which defaults were applied and
 * whether the order will wait for payment.
 */
export function previewBandwidthPlan<Token extends string | undefined>(
  input: unknown,
  clientToken: Token,
  policy: PreviewPolicy,
):
  | { ok: true; preview: { kind: 'preview'; request: Token extends string ? CreatePlanRequest : BandwidthPlanRequest; verdict: GuardrailVerdict } }
  | { ok: false; issues: Issue[] } {
  const defaulted = applyBillingDefaults(input, policy.billingDefaults);
  const validation = validateBandwidthPlan(defaulted.input);
  if (!validation.ok) return validation;
  // With its ClientToken known, the request is as sent: the intent tags included (core/intent.ts).
  const request = (
    clientToken === undefined ? validation.request : withIntentTags({ ...validation.request, ClientToken: clientToken }, clientToken)
  ) as Token extends string ? CreatePlanRequest : BandwidthPlanRequest;
  const verdict = evaluateGuardrails(request, policy.guardrails);
  return { ok: true, preview: { kind: 'preview', request, verdict: { ...verdict, notes: [...defaulted.notes, ...verdict.notes] } } };
}

/**
 * Runs one purchase intent through the pipeline. A dry run stops after the guardrails: it returns the
 * preview, or throws a ValidationError (nothing published) when the parameters are invalid.
 */
export async function createBandwidthPlan(command: CreateCommand, deps: PipelineDeps, invocation: Invocation): Promise<Preview | Completed> {
  const started = deps.clock.now();
  const previewed = previewBandwidthPlan(command.input, command.clientToken, deps);
  // What the source found comes first; the rest of a readable input is judged too, so every issue is named at once.
  const checked = command.inputIssues?.length
    ? ({ ok: false, issues: [...command.inputIssues, ...(command.input !== undefined && !previewed.ok ? previewed.issues : [])] } as const)
    : previewed;
  // A dry run buys and publishes nothing: invalid parameters are answered, not reported. It reads
  // the room the runaway limits leave, when they are set.
  if (command.dryRun) {
    if (!checked.ok) throw new ValidationError(checked.issues);
    const reasons = deps.approval ? approvalReasons(checked.preview.request, deps.approval.rule) : [];
    return {
      ...checked.preview,
      room: await quotaRoom(deps, invocation),
      ...(reasons.length > 0 && deps.approval ? { approval: { reasons, approvers: deps.approval.rule.approvers } } : {}),
    };
  }

  let outcome: Outcome;
  let error: BandwidthPlanError | undefined;
  const base = { trigger: command.trigger, clientToken: command.clientToken, fcRequestId: invocation.fcRequestId };
  try {
    if (!checked.ok) throw new ValidationError(checked.issues);
    const { request, verdict } = checked.preview;
    if (!verdict.allowed) throw new ProductError('PolicyDenied', verdict.reasons.join('; '));
    const credentials = invocation.credentials();
    const call = { credentials, deadline: invocation.deadline - NOTIFY_RESERVE_MS };
    const bought = await buyOnce(request, deps, call, command);
    if ('approval' in bought) {
      const waiting = outcomeOf('awaiting-approval', base, { request, notes: verdict.notes.length > 0 ? verdict.notes : undefined });
      const announced = { ...waiting, approval: bought.approval };
      await deps.approval?.announce?.(announced, invocation.deadline - NOTIFY_RESERVE_MS);
      return finish(announced, undefined, deps, invocation, started);
    }
    const { created, notes } = bought;
    const status = awaitsPayment(request)
      ? undefined
      : await waitUntilReady(created.CenBandwidthPackageId, deps, { credentials, deadline: invocation.deadline });
    const ready = status !== undefined && READY_STATUSES.has(status.Status);
    const allNotes = [...verdict.notes, ...notes];
    outcome = {
      ...outcomeOf(ready ? 'created' : 'pending', base, {
        request,
        result: { ...created, Status: ready ? status.Status : 'pending' },
        notes: allNotes.length > 0 ? allNotes : undefined,
      }),
      ...(command.approvedBy !== undefined ? { approver: command.approvedBy } : {}),
    };
  } catch (thrown) {
    error = asBandwidthPlanError(thrown);
    const rejected = error instanceof ValidationError || error.code === 'PolicyDenied' || error.code === 'QuotaExceeded';
    outcome = outcomeOf(rejected ? 'rejected' : 'failed', base, {
      request: checked.ok ? checked.preview.request : undefined,
      error: {
        code: error.code,
        message: error.message,
        requestId: error.requestId,
        retryable: error.retryable,
        issues: error.issues,
      },
    });
  }
  return finish(outcome, error, deps, invocation, started);
}

/** Said in the outcome when the intent's plan was found rather than bought. */
export const FOUND_BY_INTENT_NOTE = 'This intent’s plan was bought before (found by its ClientToken tag): nothing new was bought.';

/**
 * Buys the request's plan once. The intent's plan is looked up first, by its ClientToken tag: if it
 * exists it is the answer, whatever CEN still remembers of the token (its parameters checked as CEN
 * checks them). Only then do the runaway limits apply, so a redelivery is never refused by them.
 * A lookup that fails stops the purchase: buying blind could buy twice (its error says whether to
 * try again).
 */
async function buyOnce(
  request: CreatePlanRequest,
  deps: PipelineDeps,
  call: { credentials: Credentials; deadline: number },
  command: CreateCommand,
): Promise<
  | { created: { CenBandwidthPackageId: string; CenBandwidthPackageOrderId?: string | undefined; RequestId: string }; notes: string[] }
  | { approval: PendingApproval }
> {
  const found = await planTaggedWith(request.ClientToken, deps, call);
  if (found) return { created: sameIntent(request, found), notes: [FOUND_BY_INTENT_NOTE] };
  // After the lookup (an approved intent's retry finds its plan), before the limits: waiting costs nothing.
  const approval = deps.approval;
  const reasons = approval && command.approvedBy === undefined ? approvalReasons(request, approval.rule) : [];
  if (approval && reasons.length > 0) {
    const requester = command.trigger.requester ?? `${command.trigger.kind}:${command.trigger.id}`;
    const issued = await approval.issuer.issue(withoutIntentTags(request), requester, request.ClientToken, deps.clock.now());
    return {
      approval: { code: issued.code, expiresAt: new Date(issued.expiresAt).toISOString(), approvers: approval.rule.approvers, reasons },
    };
  }
  if (deps.limits.plansPerDay !== undefined || deps.limits.mbpsPerDay !== undefined) {
    const recent = await productPlans(deps, call);
    const verdict = quotaVerdict(recent, request.Bandwidth, deps.limits, deps.clock.now());
    if (!verdict.allowed) throw new ProductError('QuotaExceeded', `${verdict.reason}. Nothing was bought.`);
  }
  try {
    return { created: await deps.cen.createBandwidthPackage(request, call), notes: [] };
  } catch (error) {
    // The answer may have been lost after CEN created the plan: its tag says so, and then the outcome
    // is the plan rather than a failure nobody follows up.
    const failure = asBandwidthPlanError(error);
    if (!failure.retryable) throw error;
    const bought = await planTaggedWith(request.ClientToken, deps, call).catch(() => undefined);
    if (!bought) throw error;
    return { created: sameIntent(request, bought), notes: [LOST_ANSWER_NOTE] };
  }
}

/** The plan tagged with this ClientToken, as one listing finds it (the API's Tag filter, checked again here). */
async function planTaggedWith(clientToken: string, deps: PipelineDeps, call: { credentials: Credentials; deadline: number }): Promise<ListedPlan | undefined> {
  const { plans } = await deps.cen.listPlansTagged([{ Key: CLIENT_TOKEN_TAG_KEY, Value: clientToken }], call);
  return plans.find((plan) => plan.tags.some((tag) => tag.Key === CLIENT_TOKEN_TAG_KEY && tag.Value === clientToken));
}

/** A plan found for this ClientToken is this request's only if its parameters agree: CEN's own rule. */
function sameIntent(request: CreatePlanRequest, found: ListedPlan): { CenBandwidthPackageId: string; RequestId: string } {
  const differences = intentMismatches(request, found);
  if (differences.length > 0) {
    throw new ProductError(
      'IdempotenceParam.NotMatch',
      `The plan ${found.CenBandwidthPackageId} was bought with this ClientToken and other parameters (${differences.join('; ')}). Nothing was bought.`,
    );
  }
  return { CenBandwidthPackageId: found.CenBandwidthPackageId, RequestId: '' };
}

/** Said in the outcome when the create's answer was lost but the plan was found by its intent tag. */
export const LOST_ANSWER_NOTE = 'CEN’s answer to the purchase was lost; the plan was found by its ClientToken tag.';

/**
 * The plans this function bought, as far as one listing goes. An incomplete listing counts as over
 * every limit (more than a thousand plans is a runaway by any measure).
 */
async function productPlans(deps: PipelineDeps, call: { credentials: Credentials; deadline: number }): Promise<ListedPlan[]> {
  const { plans, complete } = await deps.cen.listPlansTagged([{ Key: PRODUCT_TAG_KEY, Value: PRODUCT_TAG_VALUE }], call);
  if (!complete)
    throw new ProductError('QuotaExceeded', 'This function has bought more than a thousand plans: the runaway limits refuse more. Nothing was bought.');
  return plans;
}

/**
 * What the runaway limits leave now, for previews; undefined when no limit is set or it cannot be
 * read (a preview never fails for it: the purchase checks again).
 */
export async function quotaRoom(deps: PipelineDeps, invocation: Invocation, deadline: number = invocation.deadline): Promise<QuotaRoom | undefined> {
  if (deps.limits.plansPerDay === undefined && deps.limits.mbpsPerDay === undefined) return undefined;
  try {
    const recent = await productPlans(deps, { credentials: invocation.credentials(), deadline: Math.min(deadline, invocation.deadline) });
    return quotaVerdict(recent, 0, deps.limits, deps.clock.now()).room;
  } catch (error) {
    deps.log.warn('could not read what the runaway limits leave', { error });
    return undefined;
  }
}

/**
 * A request refused before the pipeline could run it (e.g. a chat user the allow-list does not name):
 * still an outcome, published and logged like any other.
 */
export function reportRejection(
  trigger: Trigger,
  error: BandwidthPlanError,
  deps: PipelineDeps,
  invocation: Invocation,
  details: OutcomeDetails = {},
): Promise<Completed> {
  return reportWithoutCalling('rejected', trigger, error, deps, invocation, details);
}

/**
 * An attempt that failed before it could reach CEN for a reason of this function's (e.g. a chat
 * purchase that could not be handed to its async run): an outcome too, `failed`.
 */
export function reportFailure(
  trigger: Trigger,
  error: BandwidthPlanError,
  deps: PipelineDeps,
  invocation: Invocation,
  details: OutcomeDetails = {},
): Promise<Completed> {
  return reportWithoutCalling('failed', trigger, error, deps, invocation, details);
}

/** What is known of an attempt that never reached the pipeline's purchase step. */
export interface OutcomeDetails {
  readonly request?: BandwidthPlanRequest | undefined;
  readonly clientToken?: string | undefined;
  readonly received?: string | undefined;
  /** The approver who rejected it, or whose approval was refused. */
  readonly approver?: string | undefined;
}

/**
 * A purchase asked in chat that waits for an approver: published (and announced to the approval
 * channel) like the HTTP and async sources' — nothing is bought until someone approves it.
 */
export async function reportAwaitingApproval(
  trigger: Trigger,
  request: BandwidthPlanRequest,
  approval: PendingApproval,
  deps: PipelineDeps,
  invocation: Invocation,
  clientToken?: string,
): Promise<Completed> {
  const outcome: Outcome = {
    ...outcomeOf('awaiting-approval', { trigger, clientToken, fcRequestId: invocation.fcRequestId }, { request }),
    approval,
  };
  await deps.approval?.announce?.(outcome, invocation.deadline);
  return finish(outcome, undefined, deps, invocation, deps.clock.now());
}

function reportWithoutCalling(
  kind: 'rejected' | 'failed',
  trigger: Trigger,
  error: BandwidthPlanError,
  deps: PipelineDeps,
  invocation: Invocation,
  details: OutcomeDetails,
): Promise<Completed> {
  const clientToken = details.clientToken ?? details.request?.ClientToken;
  const outcome: Outcome = {
    ...outcomeOf(
      kind,
      { trigger, clientToken, fcRequestId: invocation.fcRequestId },
      {
        request: details.request,
        error: { code: error.code, message: error.message, retryable: kind === 'failed' && error.retryable, issues: error.issues },
      },
    ),
    ...(details.received !== undefined ? { received: details.received } : {}),
    ...(details.approver !== undefined ? { approver: details.approver } : {}),
  };
  return finish(outcome, error, deps, invocation, deps.clock.now());
}

/**
 * Whether FC must run the event again: a retryable failure (the same ClientToken makes the re-run buy
 * nothing new), or an outcome that was not published (the log holds it in full until it is).
 */
export function redeliveryReason(result: Completed): BandwidthPlanError | undefined {
  if (result.error?.retryable) return result.error;
  const { notification } = result;
  if (!notification.delivered && !('disabled' in notification)) {
    return new ProductError('NotificationFailed', `The outcome was not published: ${notification.error.message}`);
  }
  return undefined;
}

async function finish(
  outcome: Outcome,
  error: BandwidthPlanError | undefined,
  deps: PipelineDeps,
  invocation: Invocation,
  started: number,
): Promise<Completed> {
  const notification = await publish(outcome, deps, invocation);
  logOutcome(deps.log, outcome, notification, deps.clock.now() - started, error);
  return { kind: 'completed', outcome, notification, ...(error ? { error } : {}) };
}

/** The plan bought for an intent, found by its ClientToken tag, in its current state; undefined when there is none. */
export async function findPlanByIntent(clientToken: string, deps: PipelineDeps, invocation: Invocation): Promise<PlanStatus | undefined> {
  const call = { credentials: invocation.credentials(), deadline: invocation.deadline };
  const found = await planTaggedWith(clientToken, deps, call);
  return found && deps.cen.describeBandwidthPackage(found.CenBandwidthPackageId, call);
}

/** The plan's current state, via DescribeCenBandwidthPackages. */
export async function describeBandwidthPlan(id: string, deps: PipelineDeps, invocation: Invocation): Promise<PlanStatus | undefined> {
  return deps.cen.describeBandwidthPackage(id, { credentials: invocation.credentials(), deadline: invocation.deadline });
}

function outcomeOf(
  kind: OutcomeKind,
  base: { trigger: Trigger; clientToken: string | undefined; fcRequestId: string },
  rest: Pick<Outcome, 'request' | 'result' | 'error' | 'notes'>,
): Outcome {
  return { kind, ...base, ...rest };
}

/**
 * Polls until the plan is ready, the wait is over, or time runs short. A failed describe does not
 * fail the outcome: the plan was bought; it is reported as pending.
 */
async function waitUntilReady(id: string, deps: PipelineDeps, call: { credentials: Credentials; deadline: number }): Promise<PlanStatus | undefined> {
  const waitEnd = Math.min(deps.clock.now() + deps.waitSeconds * 1000, call.deadline - NOTIFY_RESERVE_MS);
  let last: PlanStatus | undefined;
  for (let delay = POLL_FIRST_MS; deps.clock.now() < waitEnd; delay = Math.min(delay * 2, POLL_MAX_MS)) {
    try {
      last = await deps.cen.describeBandwidthPackage(id, { credentials: call.credentials, deadline: waitEnd });
    } catch (error) {
      deps.log.warn('could not read the new plan status', { CenBandwidthPackageId: id, error });
      return last;
    }
    if (last && READY_STATUSES.has(last.Status)) return last;
    const pause = Math.min(delay, waitEnd - deps.clock.now());
    if (pause <= 0) break;
    await deps.clock.sleep(pause);
  }
  return last;
}

async function publish(outcome: Outcome, deps: PipelineDeps, invocation: Invocation): Promise<NotificationReport> {
  let credentials: Credentials;
  try {
    credentials = invocation.credentials();
  } catch (error) {
    // No credentials: the outcome cannot be published, so it is logged in full instead.
    const failure = asBandwidthPlanError(error);
    deps.log.error('notification not delivered', { outcome, error: failure });
    return { delivered: false, error: { code: failure.code, message: failure.message, retryable: false } };
  }
  return deps.notifier.notify(outcome, { credentials, deadline: invocation.deadline, fcRequestId: invocation.fcRequestId });
}

function logOutcome(log: Logger, outcome: Outcome, notification: NotificationReport, durationMs: number, error?: BandwidthPlanError): void {
  const fields = {
    fcRequestId: outcome.fcRequestId,
    source: outcome.trigger.kind,
    sourceId: outcome.trigger.id,
    requester: outcome.trigger.requester,
    clientToken: outcome.clientToken,
    cenRequestId: outcome.result?.RequestId ?? outcome.error?.requestId,
    CenBandwidthPackageId: outcome.result?.CenBandwidthPackageId,
    outcome: outcome.kind,
    errorCode: outcome.error?.code,
    notified: notification.delivered,
    durationMs,
  };
  if (outcome.kind === 'failed') log.error('bandwidth plan outcome', { ...fields, error });
  else log.info('bandwidth plan outcome', fields);
}

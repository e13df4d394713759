/**
 * Async invocations (EventBridge, timer): every element leaves exactly one outcome — bought, pending,
 * failed, or rejected and published. An element that is not something this function understands is a
 * published rejection that carries what arrived; its neighbours are run all the same. When an
 * outcome could not be published, or a failure is retryable, the invocation throws after every
 * element has run, so FC runs the event again: the ClientTokens make the re-run buy nothing new.
 */

import type { PendingApproval } from '../core/approval';
import { asBandwidthPlanError, ProductError } from '../core/errors';
import { type Outcome, receivedExcerpt, type Trigger } from '../core/outcome';
import {
  type Completed,
  type CreateCommand,
  createBandwidthPlan,
  type NotificationReport,
  type PipelineDeps,
  redeliveryReason,
  reportFailure,
  reportRejection,
} from '../core/pipeline';
import type { InvocationScope } from './dispatch';

/** What an async invocation returns to FC for each element. */
export interface AsyncResult {
  readonly outcome: Outcome['kind'] | 'preview';
  readonly clientToken?: string | undefined;
  readonly CenBandwidthPackageId?: string | undefined;
  readonly Status?: string | undefined;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
  /** `awaiting-approval`: the code an approver sends, and until when (returned, not thrown). */
  readonly approval?: PendingApproval | undefined;
  readonly notification?: NotificationReport | undefined;
}

/** One element of an async invocation: a command to run, or something that cannot be one. */
export type AsyncElement =
  | { readonly command: CreateCommand }
  | { readonly unrecognised: { readonly trigger: Trigger; readonly why: string; readonly received: unknown } };

/** EventBridge must deliver whole CloudEvents; say so wherever an element is not one. */
export const WHAT_TO_DELIVER =
  'Deliver whole CloudEvents 1.0 (EventBridge: event schema CloudEvents, no $.data transform), a timer event, or an HTTP request. Nothing was bought.';

/** Runs every element in order; returns one result per element, or throws after all ran (see above). */
export async function runAsyncElements(elements: readonly AsyncElement[], scope: InvocationScope): Promise<AsyncResult[]> {
  const deps = scope.pipeline();
  const results: AsyncResult[] = [];
  let rethrow: Error | undefined;
  // One after another: CEN serialises operations per account (Operation.Blocking) anyway.
  for (const element of elements) {
    const completed = await runElement(element, deps, scope);
    if (completed === 'preview') {
      results.push({ outcome: 'preview', clientToken: 'command' in element ? element.command.clientToken : undefined });
      continue;
    }
    results.push(summaryOf(completed));
    rethrow ??= redeliveryReason(completed);
  }
  if (rethrow) throw rethrow;
  return results;
}

/**
 * One element's outcome. Whatever goes wrong while it runs stays with it: an unexpected error is its
 * `failed` outcome (published, logged), and its neighbours run as usual.
 */
async function runElement(element: AsyncElement, deps: PipelineDeps, scope: InvocationScope): Promise<Completed | 'preview'> {
  const trigger = 'command' in element ? element.command.trigger : element.unrecognised.trigger;
  try {
    if ('command' in element) {
      const result = await createBandwidthPlan(element.command, deps, scope.invocation);
      return result.kind === 'preview' ? 'preview' : result;
    }
    const { why, received } = element.unrecognised;
    const error = new ProductError('UnknownEvent', `This element is not an event this function understands: ${why}. ${WHAT_TO_DELIVER}`);
    return await reportRejection(trigger, error, deps, scope.invocation, { received: receivedExcerpt(received) });
  } catch (thrown) {
    const error = asBandwidthPlanError(thrown);
    scope.log.error('an element failed unexpectedly', { trigger, error });
    const clientToken = 'command' in element ? element.command.clientToken : undefined;
    return reportFailure(trigger, error, deps, scope.invocation, { clientToken });
  }
}

function summaryOf({ outcome, notification, error }: Completed): AsyncResult {
  return {
    outcome: outcome.kind,
    clientToken: outcome.clientToken,
    CenBandwidthPackageId: outcome.result?.CenBandwidthPackageId,
    Status: outcome.result?.Status,
    error: error ? { code: error.code, message: error.message } : undefined,
    ...(outcome.approval ? { approval: outcome.approval } : {}),
    notification,
  };
}

/** An event no source claims: one published rejection that carries what arrived. */
export async function runUnrecognised(why: string, received: unknown, scope: InvocationScope): Promise<AsyncResult> {
  const trigger: Trigger = { kind: 'unrecognised', id: scope.invocation.fcRequestId };
  scope.log.warn('unrecognised event', { why });
  const [result] = await runAsyncElements([{ unrecognised: { trigger, why, received } }], scope);
  return result!;
}

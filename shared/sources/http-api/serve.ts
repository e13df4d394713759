/**
 * The HTTP trigger: every request is answered as HTTP, in this order — the size limit, the route
 * (404/405), the caller's proof (401), then the exact surface (400): a query parameter, value or
 * header that is not documented is refused by name, never ignored. On `POST /bandwidth-plans` every
 * refusal of an authenticated request that is not an exact dry run is a refused purchase attempt, and
 * published as a `rejected` outcome. Nothing is thrown on this path, except by a MAC'd chat job (FC's
 * own delivery of this function's InvokeFunction call), which must be retried like any async event.
 */

import { asBandwidthPlanError, describeIssues, ProductError, ValidationError } from '../../core/errors';
import { describeRoom } from '../../core/intent';
import {
  type Completed,
  type CreateCommand,
  createBandwidthPlan,
  describeBandwidthPlan,
  findPlanByIntent,
  type NotificationReport,
  type Preview,
  reportRejection,
} from '../../core/pipeline';
import { awaitsPayment, billingSummary } from '../../core/policy';
import { PLAN_ID_PATTERN, PLAN_ID_RULE } from '../../core/schema';
import type { FcHttpEvent, FcHttpResponse } from '../../runtime/fc';
import { isChatJobEvent } from '../chat/jobs';
import type { EventSource, InvocationScope } from '../dispatch';
import { isPlainObject, parseUntrustedJson } from '../json';
import { httpShape } from '../shapes';
import type { AwaitingApprovalAnswer, CreatedAnswer, DryRunAnswer, NotificationAnswer } from './answers';
import { createCommandFromHttp, httpTrigger, isDryRun } from './create';
import { type HttpRequestView, readHttpEvent } from './request';
import { errorResponse, jsonResponse } from './responses';
import { matchRoute, type RouteName, surfaceIssues } from './routes';
import { authenticateApiRequest } from './webhook-auth';

export interface HttpSourceOptions {
  /** The OpenAPI document shipped beside the bundle, read when first asked for; undefined if absent. */
  readonly openApiDocument: () => string | undefined;
}

export function createHttpSource(options: HttpSourceOptions): EventSource<FcHttpEvent> {
  return { ...httpShape, run: (event, scope) => serveHttp(event, scope, options) };
}

async function serveHttp(event: FcHttpEvent, scope: InvocationScope, options: HttpSourceOptions): Promise<FcHttpResponse> {
  let request: HttpRequestView;
  try {
    request = readHttpEvent(event);
    const route = matchRoute(request.method, request.path);
    switch (route.name) {
      case 'openapi': {
        requireExactSurface('openapi', request);
        const document = options.openApiDocument();
        if (document === undefined) throw new ProductError('NotFound', 'No OpenAPI document is shipped with this build.');
        return { ...jsonResponse(200, null), body: document };
      }
      case 'chatops':
        requireExactSurface('chatops', request);
        return await (await chatService()).handleChatRequest(route.platform, request, await scope.chatops(), scope.invocation);
      case 'invocation':
        // Only the function chat jobs are handed to has this path: in the two-function layout, the
        // HTTP function's public URL is not a way to run a job (deploy/s.two-functions.yaml).
        if (route.functionName !== scope.functionName || (scope.config().chatops.jobFunction ?? scope.functionName) !== scope.functionName)
          throw new ProductError('NotFound', `No route for ${request.path}`);
        requireExactSurface('invocation', request);
        return await runJobInHttpShape(request, scope);
      case 'status':
        authenticateApiRequest(request, scope.config().webhookSecrets, Math.floor(scope.clock.now() / 1000));
        requireExactSurface('status', request);
        return await status(route.id, scope);
      case 'find':
        authenticateApiRequest(request, scope.config().webhookSecrets, Math.floor(scope.clock.now() / 1000));
        requireExactSurface('find', request);
        return await findByIntent(request.query.clientToken, scope);
      case 'create':
        authenticateApiRequest(request, scope.config().webhookSecrets, Math.floor(scope.clock.now() / 1000));
        return await create(request, scope);
    }
  } catch (error) {
    if (error instanceof JobFailure) throw error.cause;
    const failure = asBandwidthPlanError(error);
    if (failure.code === 'InternalError' || failure.code === 'ConfigurationError') scope.log.error('request failed', { error: failure });
    // Which variable is wrong is the owner's business (the log), not an anonymous caller's.
    return errorResponse(failure.code === 'ConfigurationError' ? new ProductError('ConfigurationError') : failure);
  }
}

/** Chat-ops' code, loaded when a chat request or job first arrives: an API invocation never reads it. */
const chatService = () => import('../chat/service');

function requireExactSurface(route: RouteName, request: HttpRequestView): void {
  const issues = surfaceIssues(route, request);
  if (issues.length > 0) throw new ValidationError(issues, `The request is not exactly as documented: ${describeIssues(issues)}`);
}

/** An authenticated `POST /bandwidth-plans`. */
async function create(request: HttpRequestView, scope: InvocationScope): Promise<FcHttpResponse> {
  const deps = scope.pipeline();
  const fcRequestId = scope.invocation.fcRequestId;
  let command: CreateCommand;
  try {
    requireExactSurface('create', request);
    command = createCommandFromHttp(request, fcRequestId);
  } catch (error) {
    const failure = asBandwidthPlanError(error);
    // A dry run that is refused (a bad header, a body that is not JSON) was never a purchase attempt.
    if (failure.code === 'InternalError' || isDryRun(request)) throw failure;
    const completed = await reportRejection(httpTrigger(request, fcRequestId), failure, deps, scope.invocation);
    return errorResponse(failure, { notification: publicNotification(completed.notification) });
  }
  return httpAnswer(await createBandwidthPlan(command, deps, scope.invocation));
}

async function status(id: string, scope: InvocationScope): Promise<FcHttpResponse> {
  if (!PLAN_ID_PATTERN.test(id)) throw new ValidationError([{ path: 'id', message: PLAN_ID_RULE }]);
  const plan = await describeBandwidthPlan(id, scope.pipeline(), scope.invocation);
  if (!plan) throw new ProductError('NotFound', `No bandwidth plan ${id}`);
  return jsonResponse(200, plan);
}

/** `GET /bandwidth-plans?clientToken=…`: the plan bought for that intent, whatever CEN remembers of the token. */
async function findByIntent(clientToken: unknown, scope: InvocationScope): Promise<FcHttpResponse> {
  if (typeof clientToken !== 'string') throw new ValidationError([{ path: 'query.clientToken', message: 'is required' }]);
  const plan = await findPlanByIntent(clientToken, scope.pipeline(), scope.invocation);
  if (!plan) throw new ProductError('NotFound', `No bandwidth plan was bought with ClientToken ${clientToken}`);
  return jsonResponse(200, plan);
}

/** A chat job's own failure, to be rethrown (FC retries the job) rather than answered. */
class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

/**
 * FC has been seen to deliver an InvokeFunction call on a function with an HTTP trigger as an
 * HTTP-shaped event (docs/sources.md, "Function Compute", UNCONFIRMED as a rule). Only a chat job
 * whose MAC holds runs here; anything else on this path is answered like any other bad request.
 */
async function runJobInHttpShape(request: HttpRequestView, scope: InvocationScope): Promise<FcHttpResponse> {
  let job: unknown;
  try {
    job = parseUntrustedJson(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new ProductError('InvalidJson', 'The body is not valid JSON.', { cause: error });
  }
  if (!isPlainObject(job) || !isChatJobEvent(job)) throw new ValidationError([{ path: 'body', message: 'must be a chat job' }]);
  try {
    const result = await (await chatService()).runChatJob(job, await scope.chatops(), scope.invocation);
    if (result.job === 'invalid') throw new ProductError('Unauthorized', 'The chat job is not signed by this function.');
    return jsonResponse(200, result);
  } catch (error) {
    if (error instanceof ProductError && error.code === 'Unauthorized') throw error;
    throw new JobFailure('chat job failed', { cause: error });
  }
}

function httpAnswer(result: Preview | Completed): FcHttpResponse {
  if (result.kind === 'preview') {
    const { allowed, reasons, notes } = result.verdict;
    return jsonResponse(200, {
      dryRun: true,
      request: { ...result.request, Tag: result.request.Tag ?? [] },
      billing: { summary: billingSummary(result.request), awaitsPayment: awaitsPayment(result.request) },
      guardrails: { allowed, reasons: [...reasons], notes: [...notes] },
      ...(result.approval ? { approval: { reasons: [...result.approval.reasons], approvers: [...result.approval.approvers] } } : {}),
      ...(result.room ? { room: { ...result.room, summary: describeRoom(result.room) } } : {}),
    } satisfies DryRunAnswer);
  }
  const { outcome, notification, error } = result;
  const notificationBody = { notification: publicNotification(notification) };
  if (outcome.kind === 'awaiting-approval' && outcome.approval && outcome.clientToken !== undefined) {
    const { approval } = outcome;
    return jsonResponse(202, {
      awaitingApproval: true,
      approval: { ...approval, approvers: [...approval.approvers], reasons: [...approval.reasons] },
      ClientToken: outcome.clientToken,
      ...notificationBody,
    } satisfies AwaitingApprovalAnswer);
  }
  // Only a created or pending outcome has no error, and both carry the plan.
  if (error || !outcome.result || outcome.clientToken === undefined)
    return errorResponse(error ?? new ProductError('InternalError'), { ClientToken: outcome.clientToken, ...notificationBody });
  const { CenBandwidthPackageId, CenBandwidthPackageOrderId, RequestId, Status } = outcome.result;
  const answer: CreatedAnswer = {
    CenBandwidthPackageId,
    CenBandwidthPackageOrderId,
    RequestId,
    ClientToken: outcome.clientToken,
    Status,
    ...(outcome.notes ? { notes: [...outcome.notes] } : {}),
    ...notificationBody,
  };
  return jsonResponse(201, answer);
}

function publicNotification(report: NotificationReport): NotificationAnswer {
  if (report.delivered) return { delivered: true, messageId: report.messageId };
  if ('disabled' in report) return { delivered: false, disabled: true };
  return { delivered: false, error: { code: report.error.code, message: report.error.message } };
}

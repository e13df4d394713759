/**
 * The handler: decodes the FC event, recognises its source by shape, and runs it through the one
 * pipeline. Everything environment-dependent is created once per instance (cold start); credentials
 * are read per invocation because FC rotates them.
 */
import { CenClient } from '../../shared/cen/client';
import { configSecrets, loadConfig, type Config } from '../../shared/config';
import { resolveCredentials } from '../../shared/credentials';
import { asBandwidthPlanError, ProductError, ValidationError, type BandwidthPlanError } from '../../shared/errors';
import type { FcContext, FcHttpEvent, FcHttpResponse } from '../../shared/fc';
import type { HttpTransport } from '../../shared/http';
import { createLogger, SecretRegistry, type LineWriter, type Logger } from '../../shared/log';
import type { Outcome } from '../../shared/outcome';
import {
  createBandwidthPlan,
  describeBandwidthPlan,
  type Completed,
  type CreateCommand,
  type Invocation,
  type NotificationReport,
  type PipelineDeps,
  type Preview,
} from '../../shared/pipeline';
import { systemClock, type Clock, type RetryPolicy } from '../../shared/retry';
import { createCommandFromCloudEvent, isCloudEvent, isCloudEventBatch, type CloudEventLike } from '../../shared/sources/eventbridge';
import {
  authenticateApiRequest,
  createCommandFromHttp,
  errorResponse,
  isHttpEvent,
  jsonResponse,
  PLAN_ID_PATTERN,
  readHttpEvent,
  routeHttpRequest,
} from '../../shared/sources/http';
import { createCommandFromTimer, isTimerEvent } from '../../shared/sources/timer';
import { isChatJobEvent, type ChatJobEvent } from '../../shared/chatops/jobs';
import { handleChatRequest, runChatJob, type ChatopsDeps } from '../../shared/chatops/service';
import { chatopsFactory } from './chatops';
import { notifierFactory } from './notifications';

/** Kept back from FC's timeout so the handler can still answer. */
const RETURN_MARGIN_MS = 1_000;
const DEFAULT_TIMEOUT_SECONDS = 60;

export interface HandlerOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly transport?: HttpTransport;
  readonly clock?: Clock;
  readonly writeLog?: LineWriter;
  readonly nonce?: () => string;
  readonly newId?: () => string;
  /** Retry tuning for every upstream client (tests shorten it). */
  readonly retryPolicy?: Partial<RetryPolicy>;
}

export type Handler = (event: unknown, context: FcContext) => Promise<unknown>;

/** What an async source (EventBridge, timer) returns for each event. */
export interface AsyncResult {
  readonly outcome: Outcome['kind'] | 'preview';
  readonly clientToken?: string | undefined;
  readonly CenBandwidthPackageId?: string | undefined;
  readonly Status?: string | undefined;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
  readonly notification?: NotificationReport | undefined;
}

export function createHandler(options: HandlerOptions = {}): Handler {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const secrets = new SecretRegistry();
  const log = createLogger({ secrets, ...(options.writeLog ? { write: options.writeLog } : {}) });

  let config: Config | undefined;
  let configError: BandwidthPlanError | undefined;
  try {
    config = loadConfig(env);
    secrets.add(...configSecrets(config));
    if (!config.notifyTopic) log.info('notifications are off: NOTIFY_TOPIC is not set');
    if (config.webhookSecrets.length === 0) log.warn('the HTTP API refuses every request: WEBHOOK_SECRET is not set');
  } catch (error) {
    configError = asBandwidthPlanError(error);
    log.error('configuration error', { error: configError });
  }
  const shared = {
    log,
    clock,
    ...(options.transport ? { transport: options.transport } : {}),
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
  };
  // Clients live as long as the instance: keep-alive connections and caches survive warm invocations.
  const instance = config && {
    config,
    cen: new CenClient({ endpoint: config.cenEndpoint, ...shared, ...(options.nonce ? { nonce: options.nonce } : {}) }),
    notifierFor: notifierFactory(config, { ...shared, ...(options.newId ? { newId: options.newId } : {}) }),
    chatopsFor: chatopsFactory(config, shared),
  };

  /** What one invocation works with; a misconfigured instance throws its configuration error here. */
  function wiringFor(context: FcContext, invocation: Invocation, requestLog: Logger): { config: Config; deps: PipelineDeps; chatops: () => ChatopsDeps } {
    if (!instance) throw configError!;
    const deps: PipelineDeps = {
      cen: instance.cen,
      notifier: instance.notifierFor(context, requestLog),
      guardrails: instance.config.guardrails,
      waitSeconds: instance.config.waitSeconds,
      clock,
      log: requestLog,
    };
    return { config: instance.config, deps, chatops: () => instance.chatopsFor(deps, context, invocation) };
  }

  return async function handler(event, context) {
    const started = clock.now();
    const timeoutMs = (context.function?.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const invocation: Invocation = {
      fcRequestId: context.requestId,
      deadline: started + timeoutMs - RETURN_MARGIN_MS,
      credentials: () => {
        const credentials = resolveCredentials(context.credentials, env);
        secrets.add(credentials.accessKeySecret, credentials.securityToken);
        return credentials;
      },
    };
    const requestLog = log.child({ fcRequestId: context.requestId });
    const decoded = decodeEvent(event);
    const selfInvocation = chatJobInHttpShape(decoded);
    if (selfInvocation) return runChatJob(selfInvocation, wiringFor(context, invocation, requestLog).chatops(), invocation);
    if (isHttpEvent(decoded)) return serveHttp(decoded);
    const { deps, chatops } = wiringFor(context, invocation, requestLog);
    if (isChatJobEvent(decoded)) return runChatJob(decoded, chatops(), invocation);
    if (isCloudEventBatch(decoded)) return runAsyncBatch(decoded, deps, invocation);
    if (isCloudEvent(decoded)) return (await runAsyncBatch([decoded], deps, invocation))[0];
    if (isTimerEvent(decoded)) return runAsync(() => createCommandFromTimer(decoded), deps, invocation);
    // Retrying an event nobody understands cannot help: report it, do not throw.
    const error = new ProductError('UnknownEvent', 'Expected an HTTP trigger request, a CloudEvent (or a batch of them) or a timer event.');
    requestLog.warn('unrecognised event', { error });
    return { outcome: 'rejected', error: { code: error.code, message: error.message } } satisfies AsyncResult;

    /** Every HTTP answer is FC's response shape with a JSON body, errors included: nothing is thrown. */
    async function serveHttp(raw: FcHttpEvent): Promise<FcHttpResponse> {
      try {
        const request = readHttpEvent(raw);
        const route = routeHttpRequest(request);
        const { config, deps, chatops } = wiringFor(context, invocation, requestLog);
        if (route.name === 'chatops') return await handleChatRequest(route.platform, request, chatops(), invocation);
        authenticateApiRequest(request, config.webhookSecrets, Math.floor(clock.now() / 1000));
        if (route.name === 'status') return await status(route.id, deps);
        return httpAnswer(await createBandwidthPlan(createCommandFromHttp(request, context.requestId), deps, invocation));
      } catch (error) {
        const failure = asBandwidthPlanError(error);
        if (failure.code === 'InternalError' || failure.code === 'ConfigurationError') requestLog.error('request failed', { error: failure });
        return errorResponse(failure);
      }
    }

    async function status(id: string, deps: PipelineDeps): Promise<FcHttpResponse> {
      if (!PLAN_ID_PATTERN.test(id)) {
        throw new ValidationError([{ path: 'id', message: 'must be a plan id: cenbwp- followed by lower-case letters and digits' }]);
      }
      const plan = await describeBandwidthPlan(id, deps, invocation);
      if (!plan) throw new ProductError('NotFound', `No bandwidth plan ${id}`);
      return jsonResponse(200, plan);
    }
  };
}

/**
 * FC passes the event as a Buffer; tests and local runs may pass a string or an object. The envelope
 * is FC's own, so it is parsed as is: a prototype key somewhere inside must not make the whole event
 * unrecognisable (its outcome would be lost). Each source checks the parts that become input — the
 * HTTP body, CloudEvent `data`, the timer payload, chat bodies — and rejects prototype keys there.
 */
function decodeEvent(event: unknown): unknown {
  const text = Buffer.isBuffer(event) ? event.toString('utf8') : typeof event === 'string' ? event : undefined;
  if (text === undefined) return event;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * FC has been seen to deliver an InvokeFunction call on a function with an HTTP trigger as an
 * HTTP-shaped event (`rawPath: /2023-03-30/functions/<name>/invocations`; function-compute.md §3.1,
 * UNCONFIRMED as a rule). The chat job this function sends itself must not be lost as a 404 then.
 */
function chatJobInHttpShape(event: unknown): ChatJobEvent | undefined {
  if (!isHttpEvent(event) || !/^\/2023-03-30\/functions\/[^/]+\/invocations$/.test(event.rawPath)) return undefined;
  const body = typeof event.body === 'string' ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  const job = decodeEvent(body);
  return isChatJobEvent(job) ? job : undefined;
}

function httpAnswer(result: Preview | Completed): FcHttpResponse {
  if (result.kind === 'preview') {
    return jsonResponse(200, {
      dryRun: true,
      request: result.request,
      guardrails: { allowed: result.verdict.allowed, reasons: result.verdict.reasons, notes: result.verdict.notes },
    });
  }
  const { outcome, notification, error } = result;
  const notificationBody = { notification: publicNotification(notification) };
  if (error) return errorResponse(error, { ClientToken: outcome.clientToken, ...notificationBody });
  return jsonResponse(201, {
    CenBandwidthPackageId: outcome.result?.CenBandwidthPackageId,
    CenBandwidthPackageOrderId: outcome.result?.CenBandwidthPackageOrderId,
    RequestId: outcome.result?.RequestId,
    ClientToken: outcome.clientToken,
    Status: outcome.result?.Status,
    ...(outcome.notes ? { notes: outcome.notes } : {}),
    ...notificationBody,
  });
}

function publicNotification(report: NotificationReport): Record<string, unknown> {
  if (report.delivered) return { delivered: true, messageId: report.messageId };
  if ('disabled' in report) return { delivered: false, disabled: true };
  return { delivered: false, error: { code: report.error.code, message: report.error.message } };
}

/**
 * Runs an async event. A retryable failure (or an outcome that could not be published) is thrown,
 * so FC re-invokes with the same event — safe, because the ClientToken derives from it. A final
 * failure is returned, not thrown: retrying cannot help.
 */
async function runAsync(toCommand: () => CreateCommand, deps: PipelineDeps, invocation: Invocation): Promise<AsyncResult> {
  const [result, rethrow] = await runAsyncOne(toCommand, deps, invocation);
  if (rethrow) throw rethrow;
  return result;
}

async function runAsyncBatch(events: CloudEventLike[], deps: PipelineDeps, invocation: Invocation): Promise<AsyncResult[]> {
  const results: AsyncResult[] = [];
  let rethrow: Error | undefined;
  // One after another: CEN serialises operations per account (Operation.Blocking) anyway.
  for (const event of events) {
    const [result, error] = await runAsyncOne(() => createCommandFromCloudEvent(event), deps, invocation);
    results.push(result);
    rethrow ??= error;
  }
  if (rethrow) throw rethrow;
  return results;
}

async function runAsyncOne(
  toCommand: () => CreateCommand,
  deps: PipelineDeps,
  invocation: Invocation,
): Promise<[AsyncResult, Error | undefined]> {
  const command = toCommand();
  const result = await createBandwidthPlan(command, deps, invocation);
  if (result.kind === 'preview') return [{ outcome: 'preview', clientToken: command.clientToken }, undefined];
  const { outcome, notification, error } = result;
  const summary: AsyncResult = {
    outcome: outcome.kind,
    clientToken: outcome.clientToken,
    CenBandwidthPackageId: outcome.result?.CenBandwidthPackageId,
    Status: outcome.result?.Status,
    error: error ? { code: error.code, message: error.message } : undefined,
    notification,
  };
  if (error?.retryable) return [summary, error];
  if (!notification.delivered && !('disabled' in notification)) {
    return [summary, new ProductError('NotificationFailed', `The outcome was not published: ${notification.error.message}`)];
  }
  return [summary, undefined];
}

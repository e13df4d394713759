/**
 * The composition root: reads the configuration once per instance (cold start), builds the clients
 * that live as long as the instance, and hands each invocation to the one source whose shape it has
 * (`shared/sources/dispatch.ts`). Credentials are read per invocation because FC rotates them.
 * Only the sources' shapes are loaded at cold start: a source's code (the HTTP API, the async
 * sources, chat-ops, the ping) is loaded when its first event arrives (build.mjs puts each in a file
 * of its own), so an invocation reads the code it runs and little else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CenClient } from '../../shared/clients/cen/client';
import { asBandwidthPlanError, type BandwidthPlanError } from '../../shared/core/errors';
import type { Invocation, PipelineDeps } from '../../shared/core/pipeline';
import { type Clock, systemClock } from '../../shared/runtime/clock';
import { type Config, configSecrets, loadConfig } from '../../shared/runtime/config';
import { resolveCredentials } from '../../shared/runtime/credentials';
import { type FcContext, identityOf } from '../../shared/runtime/fc';
import type { HttpTransport } from '../../shared/runtime/http';
import { createLogger, type LineWriter, SecretRegistry } from '../../shared/runtime/log';
import type { RetryPolicy } from '../../shared/runtime/retry';
import { AmbiguousJson, decodeEvent, type EventSource, type InvocationScope, lazySource, sourceFor } from '../../shared/sources/dispatch';
import { chatJobShape, cloudEventBatchShape, cloudEventShape, httpShape, pingShape, timerShape } from '../../shared/sources/shapes';
import { approvalDeps } from './approvals';
import type { chatopsFactory } from './chatops';
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
  /** Where the OpenAPI document is shipped; default `openapi.json` beside the bundle. */
  readonly openApiPath?: string;
}

export type Handler = (event: unknown, context: FcContext) => Promise<unknown>;

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
    log.error('configuration error: every invocation is refused until it is fixed', { error: configError });
  }
  const shared = {
    log,
    clock,
    ...(options.transport ? { transport: options.transport } : {}),
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
  };
  // Clients live as long as the instance: keep-alive connections and caches survive warm invocations.
  let chatops: Promise<ReturnType<typeof chatopsFactory>> | undefined;
  const instance = config && {
    config,
    cen: new CenClient({ endpoint: config.cenEndpoint, ...shared, ...(options.nonce ? { nonce: options.nonce } : {}) }),
    notifierFor: notifierFactory(config, { ...shared, ...(options.newId ? { newId: options.newId } : {}) }),
    approval: approvalDeps(config, shared),
    // Chat-ops' platforms, reply poster and FC client: made when a chat request or job first needs them.
    chatopsFor: () => (chatops ??= import('./chatops').then(({ chatopsFactory }) => chatopsFactory(config, shared))),
  };
  const openApiPath = options.openApiPath ?? join(__dirname, 'openapi.json');
  let openApi: string | null | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: each source takes its own event, and is only ever given one its matches() accepted
  const sources: readonly EventSource<any>[] = [
    lazySource(httpShape, async () =>
      (await import('../../shared/sources/http-api/serve')).createHttpSource({
        openApiDocument: () => {
          if (openApi === undefined) openApi = readOptional(openApiPath);
          return openApi ?? undefined;
        },
      }),
    ),
    lazySource(chatJobShape, async () => (await import('../../shared/sources/chat/service')).chatJobSource),
    lazySource(cloudEventBatchShape, async () => (await import('../../shared/sources/eventbridge')).cloudEventBatchSource),
    lazySource(cloudEventShape, async () => (await import('../../shared/sources/eventbridge')).cloudEventSource),
    lazySource(timerShape, async () => (await import('../../shared/sources/timer')).timerSource),
    lazySource(pingShape, async () => (await import('../../shared/sources/ping')).pingSource),
  ];

  return async function handler(event, context) {
    const timeoutMs = (context.function?.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const invocation: Invocation = {
      fcRequestId: context.requestId,
      deadline: clock.now() + timeoutMs - RETURN_MARGIN_MS,
      credentials: () => {
        const credentials = resolveCredentials(context.credentials, config?.platform.credentials);
        secrets.add(credentials.accessKeySecret, credentials.securityToken);
        return credentials;
      },
    };
    const requestLog = log.child({ fcRequestId: context.requestId });
    const identity = identityOf(context, config?.platform ?? {});
    let pipeline: PipelineDeps | undefined;
    const wired = () => {
      if (!instance) throw configError!;
      return instance;
    };
    const scope: InvocationScope = {
      invocation,
      log: requestLog,
      clock,
      functionName: identity.functionName,
      config: () => wired().config,
      pipeline: () =>
        (pipeline ??= {
          cen: wired().cen,
          notifier: wired().notifierFor(identity, requestLog),
          guardrails: wired().config.guardrails,
          billingDefaults: wired().config.billingDefaults,
          limits: wired().config.limits,
          approval: wired().approval,
          waitSeconds: wired().config.waitSeconds,
          clock,
          log: requestLog,
        }),
      chatops: async () => (await wired().chatopsFor())(scope.pipeline(), identity, invocation),
    };
    const decoded = decodeEvent(event);
    const found = sourceFor(sources, decoded);
    if ('source' in found) return found.source.run(decoded.json ? decoded.value : undefined, scope);
    const received = !decoded.json ? decoded.text : decoded.value instanceof AmbiguousJson ? decoded.value.value : decoded.value;
    return (await import('../../shared/sources/async')).runUnrecognised(found.unrecognised, received, scope);
  };
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

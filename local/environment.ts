/**
 * The function's surroundings for a local run (`npm start`, `npm run invoke`): its environment
 * variables, its FC context, and — unless real endpoints and credentials are configured — the
 * embedded loopback cloud. The bundle reads `process.env` once, when it is first required, so the
 * environment is complete before the bundle is loaded.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { CHAT_PLATFORMS } from '../shared/core/outcome';
import { DEFAULT_REPLY_HOSTS, DEVELOPMENT_SECRETS } from '../shared/runtime/config';
import type { ContextCredentials } from '../shared/runtime/credentials';
import type { FcContext, FcHandler } from '../shared/runtime/fc';
import { type Cloud, DEFAULT_TOPICS, DEV_CREDENTIALS, DEV_LARK_APP, startCloud } from '../test/doubles';
import type { HttpFunctionInvocation } from '../test/doubles/fc';
import { type Deployment, readDeployment } from './deployment';

export const FUNCTION_NAME = 'create-bandwidth-plan';
/** The built bundle: exactly what `s deploy` uploads. */
export const BUNDLE_PATH = resolve(import.meta.dirname, '..', 'dist', FUNCTION_NAME, 'index.js');
/** The template a local run deploys unless told otherwise. */
export const DEFAULT_TEMPLATE = resolve(import.meta.dirname, '..', 's.yaml');

/** Development secrets: known to everyone, accepted only by a local run (the configuration refuses them elsewhere). */
export const LOCAL_SECRETS = DEVELOPMENT_SECRETS;

/** The senders of examples/slack.json, dingtalk.json and lark.json, as `<platform>:<tenant>/<user>`. */
export const EXAMPLE_USERS = [
  'slack:T012AB3C4/U012AB3CD',
  'dingtalk:dingcorp0localdev/user123',
  'lark:736588c9260f175d/ou_7d8a6e6df7621556ce0d21922b676706',
] as const;

/**
 * What the local CEN sells: PREPAY only, as most accounts today (docs/sources.md, "Alibaba Cloud OpenAPI
 * and CEN"), so a local run shows what a first deploy will meet; DEFAULT_CHARGE_TYPE is PREPAY locally
 * unless set, so requests that name no charge type buy.
 */
export const LOCAL_CHARGE_TYPES = ['PREPAY'] as const;
/** How long a new plan stays `Creating` in the local CEN: long enough to see the wait, short enough to wait for. */
export const LOCAL_READY_AFTER_MS = 1_500;
const LOCAL_REGION = 'cn-hangzhou';
const LOCAL_ACCOUNT_ID = '1234567890123456';

export type Env = Record<string, string | undefined>;

/** Real cloud only when both an endpoint and keys are given: a half-configured shell stays local. */
export function usesRealCloud(env: Env): boolean {
  return Boolean(env.CEN_ENDPOINT && env.ALIBABA_CLOUD_ACCESS_KEY_ID && env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
}

/**
 * The variables of a local run. Endpoints and secrets are forced (the doubles accept nothing else);
 * the guardrails and WAIT_SECONDS keep any value already set, so they can be tried out.
 */
export function localEnvironment(cloud: Cloud, env: Env): Env {
  return {
    ...LOCAL_SECRETS,
    CEN_ENDPOINT: cloud.cen.url,
    MNS_ENDPOINT: cloud.mns.url,
    FC_ENDPOINT: cloud.fc.url,
    NOTIFY_TOPIC: DEFAULT_TOPICS[0],
    LARK_APP_ID: DEV_LARK_APP.appId,
    LARK_APP_SECRET: DEV_LARK_APP.appSecret,
    LARK_API_BASE: cloud.chat.url,
    CHATOPS_ALLOWED_USERS: EXAMPLE_USERS.join(','),
    // The chat double serves every platform's reply paths on 127.0.0.1; the real hosts stay allowed too.
    CHATOPS_REPLY_HOSTS: CHAT_PLATFORMS.flatMap((platform) => ['127.0.0.1', ...DEFAULT_REPLY_HOSTS[platform]].map((host) => `${platform}:${host}`)).join(','),
    WAIT_SECONDS: env.WAIT_SECONDS || '5',
    DEFAULT_CHARGE_TYPE: env.DEFAULT_CHARGE_TYPE || LOCAL_CHARGE_TYPES[0],
  };
}

export interface LocalFunction {
  /** The built bundle's `handler`, as deployed on the function with the HTTP trigger. */
  readonly handler: FcHandler;
  /** The embedded loopback cloud; undefined when running against the real cloud. */
  readonly cloud: Cloud | undefined;
  /** What the template deploys; undefined when running against the real cloud. */
  readonly deployment: Deployment | undefined;
  /** A fresh FC context, as FC builds one per invocation (default: the HTTP trigger's function). */
  context(requestId?: string, functionName?: string): FcContext;
  close(): Promise<void>;
}

export interface LocalFunctionOptions {
  /** The Serverless Devs template whose functions and triggers run locally (default s.yaml). */
  readonly template?: string;
  /** What the local FC does to InvokeFunction on a function with an HTTP trigger (default: runs it). */
  readonly httpFunctionInvocation?: HttpFunctionInvocation;
}

/**
 * Starts the loopback cloud (unless configured for the real one), then loads the bundle once per
 * function the template deploys, each with its own variables, as FC runs each function in its own
 * instances.
 */
export async function startLocalFunction(options: LocalFunctionOptions = {}): Promise<LocalFunction> {
  const env = process.env;
  const real = usesRealCloud(env);
  const credentials: ContextCredentials = real
    ? {
        accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
        accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
        ...(env.ALIBABA_CLOUD_SECURITY_TOKEN ? { securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN } : {}),
      }
    : { ...DEV_CREDENTIALS };
  const deployment = real ? undefined : readDeployment(options.template ?? DEFAULT_TEMPLATE, env);
  const httpName = deployment?.http.name ?? env.FC_FUNCTION_NAME ?? FUNCTION_NAME;
  const context = (requestId: string = randomUUID(), functionName: string = httpName): FcContext => ({
    requestId,
    credentials,
    function: { name: functionName, handler: 'index.handler', memory: 512, timeout: 60 },
    region: env.FC_REGION ?? (real ? undefined : LOCAL_REGION),
    accountId: env.FC_ACCOUNT_ID ?? (real ? undefined : LOCAL_ACCOUNT_ID),
  });

  if (!deployment) {
    const handler = loadBundle(env);
    return { handler, cloud: undefined, deployment, context, close: async () => undefined };
  }
  const handlers = new Map<string, FcHandler>();
  const cloud = await startCloud({
    cen: { readyAfterMs: LOCAL_READY_AFTER_MS, chargeTypes: LOCAL_CHARGE_TYPES },
    // Chat-ops continues in an async InvokeFunction: run the bundle of the function invoked.
    fc: {
      functions: deployment.functions.map((fn) => fn.name),
      triggers: Object.fromEntries(deployment.functions.map((fn) => [fn.name, fn.triggers])),
      ...(options.httpFunctionInvocation ? { httpFunctionInvocation: options.httpFunctionInvocation } : {}),
      onInvoke: (name, body, info) => handlers.get(name)!(body, context(info.requestId, name)),
    },
  });
  try {
    for (const fn of deployment.functions) {
      // The template's values (rendered with this shell's), then what the local cloud needs.
      handlers.set(fn.name, loadBundle({ ...env, ...fn.environment, ...localEnvironment(cloud, env) }));
    }
  } catch (error) {
    await cloud.close();
    throw error;
  }
  // The tools that sign requests (the banner's curl, npm run invoke) read the same secrets.
  Object.assign(env, localEnvironment(cloud, env));
  return { handler: handlers.get(httpName)!, cloud, deployment, context, close: async () => cloud.close() };
}

/**
 * A fresh copy of the bundle, configured from `variables`: it reads the environment once, when it
 * is loaded (cold start), so each function gets its own copy and the process's own environment is
 * put back afterwards.
 */
function loadBundle(variables: Readonly<Record<string, string | undefined>>): FcHandler {
  if (!existsSync(BUNDLE_PATH)) throw new Error(`${BUNDLE_PATH} does not exist: run npm run build first.`);
  const require = createRequire(import.meta.url);
  const saved = { ...process.env };
  try {
    for (const name of Object.keys(process.env)) delete process.env[name];
    for (const [name, value] of Object.entries(variables)) if (value !== undefined) process.env[name] = value;
    delete require.cache[BUNDLE_PATH];
    const bundle = require(BUNDLE_PATH) as { handler?: unknown };
    if (typeof bundle.handler !== 'function') throw new Error(`${BUNDLE_PATH} does not export a handler function.`);
    return bundle.handler as FcHandler;
  } finally {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

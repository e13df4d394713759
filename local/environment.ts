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

export const FUNCTION_NAME = 'create-bandwidth-plan';
/** The built bundle: exactly what `s deploy` uploads. */
export const BUNDLE_PATH = resolve(import.meta.dirname, '..', 'dist', FUNCTION_NAME, 'index.js');

/** Development secrets: known to everyone, accepted only by a local run (the configuration refuses them elsewhere). */
export const LOCAL_SECRETS = DEVELOPMENT_SECRETS;

/** The senders of examples/slack.json, dingtalk.json and lark.json, as `<platform>:<tenant>/<user>`. */
export const EXAMPLE_USERS = [
  'slack:T012AB3C4/U012AB3CD',
  'dingtalk:dingcorp0localdev/user123',
  'lark:736588c9260f175d/ou_7d8a6e6df7621556ce0d21922b676706',
] as const;

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
  };
}

export interface LocalFunction {
  /** The built bundle's `handler`. */
  readonly handler: FcHandler;
  /** The embedded loopback cloud; undefined when running against the real cloud. */
  readonly cloud: Cloud | undefined;
  /** A fresh FC context, as FC builds one per invocation. */
  context(requestId?: string): FcContext;
  close(): Promise<void>;
}

/** Starts the loopback cloud (unless configured for the real one), sets `process.env`, then loads the bundle. */
export async function startLocalFunction(): Promise<LocalFunction> {
  const env = process.env;
  let handler: FcHandler | undefined;
  const real = usesRealCloud(env);
  const credentials: ContextCredentials = real
    ? {
        accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID,
        accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
        ...(env.ALIBABA_CLOUD_SECURITY_TOKEN ? { securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN } : {}),
      }
    : { ...DEV_CREDENTIALS };
  const context = (requestId: string = randomUUID()): FcContext => ({
    requestId,
    credentials,
    function: { name: FUNCTION_NAME, handler: 'index.handler', memory: 512, timeout: 60 },
    region: env.FC_REGION ?? (real ? undefined : LOCAL_REGION),
    accountId: env.FC_ACCOUNT_ID ?? (real ? undefined : LOCAL_ACCOUNT_ID),
  });

  const cloud = real
    ? undefined
    : await startCloud({
        cen: { readyAfterMs: LOCAL_READY_AFTER_MS },
        // Chat-ops continues in an async InvokeFunction of this same function: run the same bundle.
        fc: { functions: [FUNCTION_NAME], onInvoke: (_name, body, info) => handler!(body, context(info.requestId)) },
      });
  try {
    if (cloud) Object.assign(env, localEnvironment(cloud, env));
    handler = loadBundle();
  } catch (error) {
    await cloud?.close();
    throw error;
  }
  return { handler, cloud, context, close: async () => cloud?.close() };
}

function loadBundle(): FcHandler {
  if (!existsSync(BUNDLE_PATH)) throw new Error(`${BUNDLE_PATH} does not exist: run npm run build first.`);
  const bundle = createRequire(import.meta.url)(BUNDLE_PATH) as { handler?: unknown };
  if (typeof bundle.handler !== 'function') throw new Error(`${BUNDLE_PATH} does not export a handler function.`);
  return bundle.handler as FcHandler;
}

/**
 * All configuration comes from the environment, read and validated once per instance (cold start).
 * A bad value produces one message naming the variable and the rule — never the value, which may
 * be a secret.
 */
import * as z from 'zod/mini';
import { AREAS, CHARGE_TYPES, MAX_BANDWIDTH, MIN_BANDWIDTH, type Area, type ChargeType } from './schema';
import { ProductError } from './errors';

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const optionalText = z.optional(z.string());
const url = (protocols = 'http or https') =>
  z.optional(
    z.string().check(
      z.refine((value) => value === '' || /^https?:\/\/[^\s/]+/.test(value), { error: `must be an ${protocols} URL` }),
    ),
  );
const intInRange = (min: number, max: number) =>
  z.optional(
    z.string().check(
      z.refine((value) => value === '' || (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max), {
        error: `must be a whole number from ${min} to ${max}`,
      }),
    ),
  );
const subsetOf = (allowed: readonly string[]) =>
  z.optional(
    z.string().check(
      z.refine((value) => list(value).every((item) => allowed.includes(item)), {
        error: `must be a comma-separated list of ${allowed.join(', ')}`,
      }),
    ),
  );

/** The environment variables the function reads; README's configuration table documents each. */
export const EnvironmentSchema = z.object({
  CEN_ENDPOINT: url(),
  MNS_ENDPOINT: url(),
  FC_ENDPOINT: url(),
  NOTIFY_TOPIC: z.optional(z.string().check(z.regex(/^$|^[A-Za-z][A-Za-z0-9-]{0,119}$/, { error: 'must be an MNS topic name' }))),
  WEBHOOK_SECRET: optionalText,
  MAX_BANDWIDTH_MBPS: intInRange(MIN_BANDWIDTH, MAX_BANDWIDTH),
  ALLOWED_CHARGE_TYPES: subsetOf(CHARGE_TYPES),
  ALLOWED_AREAS: subsetOf(AREAS),
  WAIT_SECONDS: intInRange(0, 600),
  SLACK_SIGNING_SECRET: optionalText,
  DINGTALK_APP_SECRET: optionalText,
  LARK_ENCRYPT_KEY: optionalText,
  LARK_VERIFICATION_TOKEN: optionalText,
  LARK_APP_ID: optionalText,
  LARK_APP_SECRET: optionalText,
  LARK_API_BASE: url(),
  CHATOPS_ALLOWED_USERS: optionalText,
  CHATOPS_REPLY_HOSTS: optionalText,
  // The confirmation codes' HMAC key: short keys are guessable (checked here, not at the first `create`).
  CHATOPS_CONFIRM_SECRET: z.optional(
    z.string().check(z.refine((value) => value.trim() === '' || value.trim().length >= 32, { error: 'must be at least 32 characters' })),
  ),
});

export interface Guardrails {
  readonly maxBandwidthMbps: number;
  readonly allowedChargeTypes: readonly ChargeType[];
  /** Undefined: every area is allowed. */
  readonly allowedAreas?: readonly Area[] | undefined;
}

export interface ChatopsConfig {
  readonly slackSigningSecrets: readonly string[];
  readonly dingtalkAppSecret?: string | undefined;
  readonly larkEncryptKey?: string | undefined;
  readonly larkVerificationToken?: string | undefined;
  readonly larkAppId?: string | undefined;
  readonly larkAppSecret?: string | undefined;
  readonly larkApiBase: string;
  /** Platform user ids allowed to buy, e.g. `slack:U012AB3CD`. */
  readonly allowedUsers: readonly string[];
  /** Hosts replies may be sent to (https only, except loopback hosts listed here). */
  readonly replyHosts: readonly string[];
  readonly confirmSecret?: string | undefined;
}

export interface Config {
  readonly cenEndpoint: string;
  /** Undefined: derived from the FC context (`https://{accountId}.mns.{region}.aliyuncs.com`). */
  readonly mnsEndpoint?: string | undefined;
  /** Undefined: derived from the FC context (`https://{accountId}.{region}.fc.aliyuncs.com`). */
  readonly fcEndpoint?: string | undefined;
  /** Undefined: notifications are off. */
  readonly notifyTopic?: string | undefined;
  /** Accepted HTTP API signing secrets (several during rotation); empty: every API request is refused. */
  readonly webhookSecrets: readonly string[];
  readonly guardrails: Guardrails;
  readonly waitSeconds: number;
  readonly chatops: ChatopsConfig;
}

export const DEFAULT_REPLY_HOSTS = ['oapi.dingtalk.com', 'api.dingtalk.com', 'hooks.slack.com', 'open.feishu.cn', 'open.larksuite.com'] as const;

const nonEmpty = (value: string | undefined): string | undefined => (value && value.trim() !== '' ? value.trim() : undefined);

/** Reads the configuration, or throws a `ConfigurationError` naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ProductError('ConfigurationError', `Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const chargeTypes = list(e.ALLOWED_CHARGE_TYPES) as ChargeType[];
  const areas = list(e.ALLOWED_AREAS) as Area[];
  return {
    cenEndpoint: nonEmpty(e.CEN_ENDPOINT) ?? 'https://cbn.aliyuncs.com',
    mnsEndpoint: nonEmpty(e.MNS_ENDPOINT),
    fcEndpoint: nonEmpty(e.FC_ENDPOINT),
    notifyTopic: nonEmpty(e.NOTIFY_TOPIC),
    webhookSecrets: list(e.WEBHOOK_SECRET),
    guardrails: {
      maxBandwidthMbps: nonEmpty(e.MAX_BANDWIDTH_MBPS) ? Number(e.MAX_BANDWIDTH_MBPS) : 1000,
      allowedChargeTypes: chargeTypes.length > 0 ? chargeTypes : [...CHARGE_TYPES],
      allowedAreas: areas.length > 0 ? areas : undefined,
    },
    waitSeconds: nonEmpty(e.WAIT_SECONDS) ? Number(e.WAIT_SECONDS) : 20,
    chatops: {
      slackSigningSecrets: list(e.SLACK_SIGNING_SECRET),
      dingtalkAppSecret: nonEmpty(e.DINGTALK_APP_SECRET),
      larkEncryptKey: nonEmpty(e.LARK_ENCRYPT_KEY),
      larkVerificationToken: nonEmpty(e.LARK_VERIFICATION_TOKEN),
      larkAppId: nonEmpty(e.LARK_APP_ID),
      larkAppSecret: nonEmpty(e.LARK_APP_SECRET),
      larkApiBase: nonEmpty(e.LARK_API_BASE) ?? 'https://open.feishu.cn',
      allowedUsers: list(e.CHATOPS_ALLOWED_USERS),
      replyHosts: list(e.CHATOPS_REPLY_HOSTS).length > 0 ? list(e.CHATOPS_REPLY_HOSTS) : [...DEFAULT_REPLY_HOSTS],
      confirmSecret: nonEmpty(e.CHATOPS_CONFIRM_SECRET),
    },
  };
}

/** Every secret value in the configuration, for the log scrubber. */
export function configSecrets(config: Config): string[] {
  const { chatops } = config;
  return [
    ...config.webhookSecrets,
    ...chatops.slackSigningSecrets,
    chatops.dingtalkAppSecret,
    chatops.larkEncryptKey,
    chatops.larkVerificationToken,
    chatops.larkAppSecret,
    chatops.confirmSecret,
  ].filter((value): value is string => value !== undefined);
}

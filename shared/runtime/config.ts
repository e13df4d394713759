/**
 * All configuration comes from the environment, read and validated once per instance (cold start).
 * A bad value produces one message naming the variable and the rule — never the value, which may
 * be a secret. Configuration that would weaken a protection is refused, not guessed at: an empty or
 * misspelt list, an unknown value, a signing secret short enough to guess, a variable name one typo
 * away from one the function reads.
 */
import * as z from 'zod/mini';
import { type ApprovalRule, DEFAULT_APPROVAL_TTL_MS } from '../core/approval';
import { ProductError } from '../core/errors';
import type { RunawayLimits } from '../core/intent';
import { CHAT_PLATFORMS, type ChatPlatform } from '../core/outcome';
import { API_BILLING_DEFAULTS, type BillingDefaults, type Guardrails } from '../core/policy';
import { AREAS, type Area, CHARGE_TYPES, type ChargeType, MAX_BANDWIDTH, MIN_BANDWIDTH, PERIODS, type PricingCycle } from '../core/schema';
import { closestName } from '../core/suggest';
import type { Credentials } from './credentials';

/** Hosts each chat platform's replies go to unless CHATOPS_REPLY_HOSTS names others (the paths are the platforms'). */
export const DEFAULT_REPLY_HOSTS: ReplyHosts = {
  dingtalk: ['oapi.dingtalk.com'],
  slack: ['hooks.slack.com'],
  lark: ['open.feishu.cn', 'open.larksuite.com'],
};

/** Hosts replies may go to, per platform. */
export type ReplyHosts = Readonly<Record<ChatPlatform, readonly string[]>>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Loopback hosts take replies only when listed, for local runs and tests (then over http, on any port). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/** Signing secrets and MAC keys shorter than this are guessable offline from one signed request. */
export const MIN_SECRET_LENGTH = 32;
/** …and with fewer different characters than this (`aaaa…`, `abababab…`) they are guessable too. */
export const MIN_SECRET_CHARACTERS = 10;

/**
 * The development secrets `npm start` and the examples use. They are published (README,
 * local/environment.ts), so they are accepted only by a local run: with CEN_ENDPOINT on a loopback host.
 */
export const DEVELOPMENT_SECRETS = {
  WEBHOOK_SECRET: 'local-dev-webhook-secret-0123456789',
  SLACK_SIGNING_SECRET: 'local-dev-slack-signing-secret-0123456789',
  DINGTALK_APP_SECRET: 'local-dev-dingtalk-app-secret-0123456789',
  LARK_ENCRYPT_KEY: 'local-dev-lark-encrypt-key-0123456789',
  LARK_VERIFICATION_TOKEN: 'local-dev-lark-verification-token',
  CHATOPS_CONFIRM_SECRET: 'local-dev-chatops-confirm-secret-0123456789',
} as const;

const strongSecret = (value: string): boolean => value.length >= MIN_SECRET_LENGTH && new Set(value).size >= MIN_SECRET_CHARACTERS;
const SECRET_RULE = `at least ${MIN_SECRET_LENGTH} characters, of at least ${MIN_SECRET_CHARACTERS} different ones`;

/** `a, b,c` → `['a', 'b', 'c']`; `''` → `[]`. Empty entries are kept so that rules can refuse them. */
const entries = (value: string): string[] => (value.trim() === '' ? [] : value.split(',').map((item) => item.trim()));

/** A rule over a variable's value; `''` (unset in s.yaml) always means "the default". */
const rule = (check: (value: string) => boolean, error: string) => z.optional(z.string().check(z.refine((value) => value === '' || check(value), { error })));

const url = rule((value) => /^https?:\/\/[^\s/]+/.test(value), 'must be an http or https URL');
const intInRange = (min: number, max: number) =>
  rule((value) => /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max, `must be a whole number from ${min} to ${max}`);
/** A non-empty list of known values: `,` or ` , ` would otherwise read as "no restriction". */
const subsetOf = (allowed: readonly string[]) =>
  rule(
    (value) => entries(value).length > 0 && entries(value).every((item) => allowed.includes(item)),
    `must be a comma-separated list of ${allowed.join(', ')}, without empty entries`,
  );
const secret = rule((value) => strongSecret(value.trim()), `must be ${SECRET_RULE}`);
const secrets = rule(
  (value) => entries(value).length > 0 && entries(value).every(strongSecret),
  `must be one or more comma-separated secrets, each ${SECRET_RULE}`,
);
const optionalText = z.optional(z.string());

/** `3 Month`, `1 Year`: a term the API sells (docs/sources.md, "Alibaba Cloud OpenAPI and CEN"). */
function periodOf(value: string): { period: number; pricingCycle: PricingCycle } | undefined {
  const match = /^(\d+) ?(Month|Year)$/.exec(value.trim());
  const pricingCycle = match?.[2] as PricingCycle | undefined;
  const period = Number(match?.[1]);
  return pricingCycle && (PERIODS[pricingCycle] as readonly number[]).includes(period) ? { period, pricingCycle } : undefined;
}

/**
 * Where approval requests may be posted, by URL only: a Slack incoming webhook, a DingTalk group robot,
 * a Lark/Feishu custom bot (docs/sources.md, "Chat platforms"). The URL carries its own secret token.
 */
const APPROVAL_CHANNELS: ReadonlyArray<{ platform: ChatPlatform; pattern: RegExp }> = [
  { platform: 'slack', pattern: /^https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+$/ },
  { platform: 'dingtalk', pattern: /^https:\/\/oapi\.dingtalk\.com\/robot\/send\?access_token=[A-Za-z0-9]+$/ },
  { platform: 'lark', pattern: /^https:\/\/open\.(?:feishu\.cn|larksuite\.com)\/open-apis\/bot\/v2\/hook\/[A-Za-z0-9-]+$/ },
];
const APPROVAL_CHANNEL_FORMS =
  'a Slack incoming webhook (https://hooks.slack.com/services/…), a DingTalk robot (https://oapi.dingtalk.com/robot/send?access_token=…) or a Lark bot webhook (https://open.feishu.cn/open-apis/bot/v2/hook/…)';

export interface ApprovalChannel {
  readonly platform: ChatPlatform;
  readonly url: string;
}

function approvalChannelOf(url: string): ApprovalChannel | undefined {
  const found = APPROVAL_CHANNELS.find((channel) => channel.pattern.test(url));
  return found && { platform: found.platform, url };
}

/** FC 3.0's function name rule (docs/sources.md, "Function Compute"). */
const FC_FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

const PLATFORM = `(?:${CHAT_PLATFORMS.join('|')})`;
const ID = '[^\\s/:,]{1,128}';
const HOST = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[::1\\])';
const USER_FORM = `<platform>:<user id> or <platform>:<tenant>/<user id> (platforms: ${CHAT_PLATFORMS.join(', ')})`;
const ALLOWED_USER = new RegExp(`^${PLATFORM}:${ID}(?:/${ID})?$`);
const REPLY_HOST = new RegExp(`^(${PLATFORM}):(${HOST})$`);
const listOf = (pattern: RegExp, form: string) =>
  rule((value) => entries(value).length > 0 && entries(value).every((item) => pattern.test(item)), `must be a comma-separated list of ${form}`);

/** The environment variables the function reads; README's configuration table documents each. */
export const EnvironmentSchema = z.object({
  CEN_ENDPOINT: url,
  MNS_ENDPOINT: url,
  FC_ENDPOINT: url,
  NOTIFY_TOPIC: rule((value) => /^[A-Za-z][A-Za-z0-9-]{0,119}$/.test(value), 'must be an MNS topic name'),
  WEBHOOK_SECRET: secrets,
  MAX_BANDWIDTH_MBPS: intInRange(MIN_BANDWIDTH, MAX_BANDWIDTH),
  ALLOWED_CHARGE_TYPES: subsetOf(CHARGE_TYPES),
  ALLOWED_AREAS: subsetOf(AREAS),
  MAX_PREPAID_MONTHS: intInRange(1, 36),
  DEFAULT_CHARGE_TYPE: rule((value) => (CHARGE_TYPES as readonly string[]).includes(value), `must be ${CHARGE_TYPES.join(' or ')}`),
  DEFAULT_PERIOD: rule(
    (value) => periodOf(value) !== undefined,
    'must be a prepaid term such as "1 Month", "6 Month" or "1 Year" (Month: 1, 2, 3, 6; Year: 1, 2, 3)',
  ),
  WAIT_SECONDS: intInRange(0, 600),
  // Runaway limits over a rolling 24 h (shared/core/intent.ts); unset: no limit.
  MAX_PLANS_PER_DAY: intInRange(1, 1000),
  MAX_MBPS_PER_DAY: intInRange(MIN_BANDWIDTH, 1_000_000),
  SLACK_SIGNING_SECRET: secrets,
  DINGTALK_APP_SECRET: secret,
  LARK_ENCRYPT_KEY: secret,
  LARK_VERIFICATION_TOKEN: optionalText,
  LARK_APP_ID: optionalText,
  LARK_APP_SECRET: optionalText,
  LARK_API_BASE: url,
  CHATOPS_ALLOWED_USERS: listOf(ALLOWED_USER, USER_FORM),
  CHATOPS_REPLY_HOSTS: listOf(REPLY_HOST, `<platform>:<host> (platforms: ${CHAT_PLATFORMS.join(', ')})`),
  // The confirmation codes' HMAC keys: the first signs, every one verifies (rotation). Short keys are
  // guessable (checked here, not at the first `create`).
  CHATOPS_CONFIRM_SECRET: secrets,
  // The function that runs confirmed chat purchases; empty: this one. Set when the HTTP trigger lives on
  // a second function because FC will not InvokeFunction a function with an HTTP trigger (README).
  // Four-eyes approval (shared/core/approval.ts, README "Approval").
  APPROVERS: listOf(ALLOWED_USER, USER_FORM),
  APPROVAL_ABOVE_MBPS: intInRange(MIN_BANDWIDTH, MAX_BANDWIDTH),
  APPROVAL_FOR_PREPAY: rule((value) => value === 'true' || value === 'false', 'must be true or false'),
  APPROVAL_HOURS: intInRange(1, 168),
  APPROVAL_CHANNEL_URL: rule((value) => approvalChannelOf(value.trim()) !== undefined, `must be ${APPROVAL_CHANNEL_FORMS}`),
  CHATOPS_JOB_FUNCTION: rule(
    (value) => FC_FUNCTION_NAME.test(value.trim()),
    'must be a Function Compute function name (letters, digits, _ and -, 1 to 64, not starting with a digit or -)',
  ),
});

/**
 * Variables Function Compute sets itself (never in s.yaml): the function's identity, and keys for a
 * run outside FC (FC passes the role's keys in the context instead).
 */
export const PlatformEnvironmentSchema = z.object({
  FC_ACCOUNT_ID: optionalText,
  FC_REGION: optionalText,
  FC_FUNCTION_NAME: optionalText,
  ALIBABA_CLOUD_ACCESS_KEY_ID: optionalText,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: optionalText,
  ALIBABA_CLOUD_SECURITY_TOKEN: optionalText,
});

/** Every variable the function reads: this module is the only reader of the environment. */
export const ENVIRONMENT_VARIABLES = [...Object.keys(EnvironmentSchema.def.shape), ...Object.keys(PlatformEnvironmentSchema.def.shape)] as readonly string[];

export interface ChatopsConfig {
  readonly slackSigningSecrets: readonly string[];
  readonly dingtalkAppSecret?: string | undefined;
  readonly larkEncryptKey?: string | undefined;
  readonly larkVerificationToken?: string | undefined;
  readonly larkAppId?: string | undefined;
  readonly larkAppSecret?: string | undefined;
  readonly larkApiBase: string;
  /** Platform user ids allowed to buy, e.g. `slack:T012AB3C4/U012AB3CD`. */
  readonly allowedUsers: readonly string[];
  /** Hosts each platform's replies may be sent to (https only, except loopback hosts listed here). */
  readonly replyHosts: ReplyHosts;
  /** Keys of the confirmation codes and chat jobs: the first signs, every one verifies (rotation). Empty: buying from chat is off. */
  readonly confirmSecrets: readonly string[];
  /** The function a confirmed purchase is handed to (InvokeFunction, async); undefined: this function. */
  readonly jobFunction?: string | undefined;
}

/** Who this function is and whose keys it has, from FC's variables; the FC context, when it says, wins. */
export interface PlatformConfig {
  readonly accountId?: string | undefined;
  readonly region?: string | undefined;
  readonly functionName?: string | undefined;
  /** ALIBABA_CLOUD_* keys, for runs outside FC. */
  readonly credentials?: Credentials | undefined;
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
  readonly billingDefaults: BillingDefaults;
  /** The most plans and Mbit/s this function may buy in a rolling 24 h. */
  readonly limits: RunawayLimits;
  /** Which purchases need a second person; undefined: none do. */
  readonly approval?: ApprovalRule | undefined;
  /** Where approval requests are posted besides the topic; undefined: only the topic. */
  readonly approvalChannel?: ApprovalChannel | undefined;
  readonly waitSeconds: number;
  readonly chatops: ChatopsConfig;
  readonly platform: PlatformConfig;
}

/** CEN's public endpoint, CEN_ENDPOINT's default. */
export const DEFAULT_CEN_ENDPOINT = 'https://cbn.aliyuncs.com';

const DEFAULT_LARK_API_BASE = 'https://open.feishu.cn';

const nonEmpty = (value: string | undefined): string | undefined => (value && value.trim() !== '' ? value.trim() : undefined);

/** Reads the configuration, or throws a `ConfigurationError` naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvironmentSchema.safeParse(env);
  const platform = PlatformEnvironmentSchema.parse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  problems.push(...misspeltVariables(env), ...publishedSecrets(env));
  if (!parsed.success || problems.length > 0) throw configurationError(problems);
  const e = parsed.data;
  const replyHosts = replyHostsFrom(entries(e.CHATOPS_REPLY_HOSTS ?? ''));
  const larkApiBase = nonEmpty(e.LARK_API_BASE) ?? DEFAULT_LARK_API_BASE;
  const larkProblem = larkApiBaseProblem(larkApiBase, replyHosts.lark);
  if (larkProblem) throw configurationError([larkProblem]);
  const chargeTypes = entries(e.ALLOWED_CHARGE_TYPES ?? '') as ChargeType[];
  const billingDefaults = billingDefaultsOf(e.DEFAULT_CHARGE_TYPE, e.DEFAULT_PERIOD);
  if (chargeTypes.length > 0 && !chargeTypes.includes(billingDefaults.chargeType)) {
    throw configurationError(['DEFAULT_CHARGE_TYPE is not one of ALLOWED_CHARGE_TYPES: every request without a charge type would be refused']);
  }
  const areas = entries(e.ALLOWED_AREAS ?? '') as Area[];
  const approvers = entries(e.APPROVERS ?? '');
  const aboveMbps = nonEmpty(e.APPROVAL_ABOVE_MBPS) ? Number(e.APPROVAL_ABOVE_MBPS) : undefined;
  const prepay = nonEmpty(e.APPROVAL_FOR_PREPAY) === 'true';
  const approvalProblems = [
    // A rule nobody can satisfy would refuse quietly; approvers without a rule would approve nothing.
    ...((aboveMbps !== undefined || prepay) && approvers.length === 0
      ? ['APPROVERS is empty: the approval rule (APPROVAL_ABOVE_MBPS / APPROVAL_FOR_PREPAY) could never be met']
      : []),
    ...((aboveMbps !== undefined || prepay) && entries(e.CHATOPS_CONFIRM_SECRET ?? '').length === 0
      ? ['CHATOPS_CONFIRM_SECRET is not set: approval codes are signed with it']
      : []),
    // DingTalk signs only a timestamp, not the message: a captured header pair lets anyone speak as any
    // DingTalk user for the window, which four eyes cannot rest on.
    ...(approvers.some((approver) => approver.startsWith('dingtalk:'))
      ? ['APPROVERS cannot name DingTalk users: DingTalk’s signature does not cover the message, so it cannot prove who approves']
      : []),
  ];
  if (approvalProblems.length > 0) throw configurationError(approvalProblems);
  const approvalChannelUrl = nonEmpty(e.APPROVAL_CHANNEL_URL);
  return {
    cenEndpoint: nonEmpty(e.CEN_ENDPOINT) ?? DEFAULT_CEN_ENDPOINT,
    mnsEndpoint: nonEmpty(e.MNS_ENDPOINT),
    fcEndpoint: nonEmpty(e.FC_ENDPOINT),
    notifyTopic: nonEmpty(e.NOTIFY_TOPIC),
    webhookSecrets: entries(e.WEBHOOK_SECRET ?? ''),
    guardrails: {
      maxBandwidthMbps: nonEmpty(e.MAX_BANDWIDTH_MBPS) ? Number(e.MAX_BANDWIDTH_MBPS) : 1000,
      allowedChargeTypes: chargeTypes.length > 0 ? chargeTypes : [...CHARGE_TYPES],
      allowedAreas: areas.length > 0 ? areas : undefined,
      maxPrepaidMonths: nonEmpty(e.MAX_PREPAID_MONTHS) ? Number(e.MAX_PREPAID_MONTHS) : undefined,
    },
    billingDefaults,
    approval:
      aboveMbps !== undefined || prepay
        ? { aboveMbps, prepay, approvers, ttlMs: nonEmpty(e.APPROVAL_HOURS) ? Number(e.APPROVAL_HOURS) * 3_600_000 : DEFAULT_APPROVAL_TTL_MS }
        : undefined,
    approvalChannel: approvalChannelUrl ? approvalChannelOf(approvalChannelUrl) : undefined,
    limits: {
      plansPerDay: nonEmpty(e.MAX_PLANS_PER_DAY) ? Number(e.MAX_PLANS_PER_DAY) : undefined,
      mbpsPerDay: nonEmpty(e.MAX_MBPS_PER_DAY) ? Number(e.MAX_MBPS_PER_DAY) : undefined,
    },
    waitSeconds: nonEmpty(e.WAIT_SECONDS) ? Number(e.WAIT_SECONDS) : 20,
    chatops: {
      slackSigningSecrets: entries(e.SLACK_SIGNING_SECRET ?? ''),
      dingtalkAppSecret: nonEmpty(e.DINGTALK_APP_SECRET),
      larkEncryptKey: nonEmpty(e.LARK_ENCRYPT_KEY),
      larkVerificationToken: nonEmpty(e.LARK_VERIFICATION_TOKEN),
      larkAppId: nonEmpty(e.LARK_APP_ID),
      larkAppSecret: nonEmpty(e.LARK_APP_SECRET),
      larkApiBase,
      allowedUsers: entries(e.CHATOPS_ALLOWED_USERS ?? ''),
      replyHosts,
      confirmSecrets: entries(e.CHATOPS_CONFIRM_SECRET ?? ''),
      jobFunction: nonEmpty(e.CHATOPS_JOB_FUNCTION),
    },
    platform: platformConfig(platform),
  };
}

function billingDefaultsOf(chargeType: string | undefined, period: string | undefined): BillingDefaults {
  const term = periodOf(period ?? '') ?? { period: API_BILLING_DEFAULTS.period, pricingCycle: API_BILLING_DEFAULTS.pricingCycle };
  return { chargeType: (nonEmpty(chargeType) as ChargeType | undefined) ?? API_BILLING_DEFAULTS.chargeType, ...term };
}

function platformConfig(env: z.infer<typeof PlatformEnvironmentSchema>): PlatformConfig {
  const accessKeyId = nonEmpty(env.ALIBABA_CLOUD_ACCESS_KEY_ID);
  const accessKeySecret = nonEmpty(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
  return {
    accountId: nonEmpty(env.FC_ACCOUNT_ID),
    region: nonEmpty(env.FC_REGION),
    functionName: nonEmpty(env.FC_FUNCTION_NAME),
    credentials: accessKeyId && accessKeySecret ? { accessKeyId, accessKeySecret, securityToken: nonEmpty(env.ALIBABA_CLOUD_SECURITY_TOKEN) } : undefined,
  };
}

/** The development secrets are public: anywhere but against the local cloud they protect nothing. */
function publishedSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  let local = false;
  try {
    local = isLoopbackHost(new URL(env.CEN_ENDPOINT ?? '').hostname);
  } catch {
    local = false;
  }
  if (local) return [];
  return Object.entries(DEVELOPMENT_SECRETS)
    .filter(([name, value]) => entries(env[name] ?? '').includes(value))
    .map(([name]) => `${name} is a published development secret (README, local/environment.ts): set your own`);
}

function configurationError(problems: readonly string[]): ProductError {
  return new ProductError('ConfigurationError', `Invalid configuration: ${problems.join('; ')}`);
}

/** Words that only a guardrail's name would use: a variable naming one is meant to restrict something. */
const GUARDRAIL_WORDS = new Set(['BANDWIDTH', 'MBPS', 'AREA', 'AREAS', 'REGIONS', 'CHARGE', 'ALLOWED', 'GUARDRAIL', 'GUARDRAILS']);
/** Prefixes FC and Alibaba Cloud reserve for their own variables. */
const PLATFORM_PREFIXES = ['FC_', 'ALIBABA_CLOUD_'];

/**
 * A variable one typo away from one the function reads (`ALLOWED_AREA`, `allowed_areas`), sharing two
 * of its words (`MAX_BANDWIDTH`, `BANDWIDTH_MAX_MBPS`) or naming a guardrail word (`ALLOWED_REGIONS`)
 * would be ignored, and the protection it was meant to set silently left at its default.
 */
function misspeltVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = new Set<string>(ENVIRONMENT_VARIABLES);
  const words = (name: string) =>
    name
      .toUpperCase()
      .split(/[_\W]+/)
      .filter(Boolean);
  // Each known name's words once, not once per variable of the environment (a Node process has
  // dozens, all checked at cold start); a variable with none of those words matches no rule on words.
  const knownWords = ENVIRONMENT_VARIABLES.map((candidate) => ({ candidate, words: words(candidate) }));
  const anyKnownWord = new Set(knownWords.flatMap((known) => known.words));
  return Object.keys(env)
    .filter((name) => !known.has(name) && name.length >= 6 && !PLATFORM_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .flatMap((name) => {
      const own = words(name);
      const sharesWords = own.some((word) => anyKnownWord.has(word));
      const meant =
        closestName(name, withinTwoEdits(name)) ??
        (sharesWords ? knownWords.find((known) => known.words.filter((word) => own.includes(word)).length >= 2)?.candidate : undefined) ??
        (own.some((word) => GUARDRAIL_WORDS.has(word))
          ? ((sharesWords ? knownWords.find((known) => known.words.some((word) => own.includes(word) && GUARDRAIL_WORDS.has(word)))?.candidate : undefined) ??
            'MAX_BANDWIDTH_MBPS, ALLOWED_CHARGE_TYPES or ALLOWED_AREAS')
          : undefined);
      return meant ? [`${name} is not a variable this function reads (did you mean ${meant}?)`] : [];
    });
}

/**
 * The known names `name` may be within two edits of, in their order, so `closestName` over them
 * answers what it would over all of them. Every variable of the environment is checked at cold start
 * (a Node process has dozens), and an edit distance per pair cost more than the rest of the start: a
 * name two edits away differs in length by at most two, and in at most two letters (counted with
 * repeats, the larger side), which is counted first, in one pass over each name's UTF-16 units.
 */
function withinTwoEdits(name: string): readonly string[] {
  const wanted = name.toLowerCase();
  // How often each unit occurs in `wanted`; units past ASCII share a slot, which only lowers the count.
  const counts = new Int16Array(128);
  for (let index = 0; index < wanted.length; index++) counts[Math.min(wanted.charCodeAt(index), 127)]!++;
  return ENVIRONMENT_VARIABLES.filter((candidate) => {
    if (Math.abs(candidate.length - wanted.length) > 2) return false;
    const lower = candidate.toLowerCase();
    let matched = 0;
    for (let index = 0; index < lower.length; index++) if (counts[Math.min(lower.charCodeAt(index), 127)]!-- > 0) matched++;
    for (let index = 0; index < lower.length; index++) counts[Math.min(lower.charCodeAt(index), 127)]!++;
    return Math.max(lower.length - matched, wanted.length - matched) <= 2;
  });
}

/**
 * `<platform>:<host>` entries: the hosts listed for a platform replace its defaults; a platform not
 * named keeps its own hosts.
 */
function replyHostsFrom(items: readonly string[]): ReplyHosts {
  const listed: Partial<Record<ChatPlatform, string[]>> = {};
  for (const item of items) {
    const [, platform, host] = REPLY_HOST.exec(item)! as unknown as [string, ChatPlatform, string];
    listed[platform] = [...(listed[platform] ?? []), host.toLowerCase()];
  }
  return {
    dingtalk: listed.dingtalk ?? DEFAULT_REPLY_HOSTS.dingtalk,
    slack: listed.slack ?? DEFAULT_REPLY_HOSTS.slack,
    lark: listed.lark ?? DEFAULT_REPLY_HOSTS.lark,
  };
}

/** Lark replies (and the tenant-token request, which carries the app secret) go to LARK_API_BASE only. */
function larkApiBaseProblem(base: string, larkHosts: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    return 'LARK_API_BASE must be an http or https URL';
  }
  const bare = parsed.pathname === '/' && parsed.search === '' && parsed.hash === '' && parsed.username === '' && parsed.password === '';
  const loopback = isLoopbackHost(parsed.hostname);
  const secure = parsed.protocol === 'https:' && parsed.port === '';
  if (!bare || !larkHosts.includes(parsed.hostname) || !(secure || loopback)) {
    return `LARK_API_BASE must be https://<host> with a host allowed for lark (${larkHosts.join(', ')}; CHATOPS_REPLY_HOSTS)`;
  }
  return undefined;
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
    ...chatops.confirmSecrets,
    // The webhook URL is its own credential: whoever has it can post to the channel.
    config.approvalChannel?.url,
    config.platform.credentials?.accessKeySecret,
    config.platform.credentials?.securityToken,
  ].filter((value): value is string => value !== undefined);
}

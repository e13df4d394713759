import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_SECRETS, loadConfig, MIN_SECRET_LENGTH } from '../../shared/runtime/config';

/** Secrets of the minimum length, with enough different characters. */
const LONG = '0123456789abcdefghijklmnopqrstuv'.slice(0, MIN_SECRET_LENGTH);
const LONG2 = 'zyxwvutsrqponmlkjihgfedcba987654';
const SHORT = LONG.slice(1);

/** The ConfigurationError message for `env`, or undefined when it loads. */
function problem(env: Record<string, string>): string | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    expect(error).toMatchObject({ code: 'ConfigurationError' });
    return (error as Error).message;
  }
}

describe('configuration that would weaken a protection stops the instance, naming the variable', () => {
  it.each<[string, Record<string, string>, string]>([
    ['a charge-type list of only a comma', { ALLOWED_CHARGE_TYPES: ',' }, 'ALLOWED_CHARGE_TYPES must be a comma-separated list'],
    ['an area list of blanks', { ALLOWED_AREAS: ' , ' }, 'ALLOWED_AREAS must be a comma-separated list'],
    ['a list with an empty entry', { ALLOWED_AREAS: 'China,,Europe' }, 'ALLOWED_AREAS must be a comma-separated list'],
    ['a blank-only list', { ALLOWED_AREAS: '   ' }, 'ALLOWED_AREAS must be a comma-separated list'],
    ['an unknown area', { ALLOWED_AREAS: 'China,Mars' }, 'ALLOWED_AREAS must be a comma-separated list of China'],
    ['a lower-case charge type', { ALLOWED_CHARGE_TYPES: 'prepay' }, 'ALLOWED_CHARGE_TYPES must be'],
    [
      'a short webhook secret',
      { WEBHOOK_SECRET: SHORT },
      `WEBHOOK_SECRET must be one or more comma-separated secrets, each at least ${MIN_SECRET_LENGTH} characters`,
    ],
    ['a long webhook secret of one repeated character', { WEBHOOK_SECRET: 'a'.repeat(64) }, 'of at least 10 different ones'],
    ['a long secret of a few characters repeated', { SLACK_SIGNING_SECRET: 'abcd'.repeat(16) }, 'SLACK_SIGNING_SECRET must be'],
    [
      'the published development webhook secret against the real CEN',
      { WEBHOOK_SECRET: DEVELOPMENT_SECRETS.WEBHOOK_SECRET },
      'WEBHOOK_SECRET is a published development secret',
    ],
    [
      'the published development confirm key with no CEN_ENDPOINT',
      { CHATOPS_CONFIRM_SECRET: DEVELOPMENT_SECRETS.CHATOPS_CONFIRM_SECRET },
      'CHATOPS_CONFIRM_SECRET is a published development secret',
    ],
    [
      'a published development secret among rotated ones',
      { SLACK_SIGNING_SECRET: `${'x1y2z3'.repeat(6)},${DEVELOPMENT_SECRETS.SLACK_SIGNING_SECRET}`, CEN_ENDPOINT: 'https://cbn.aliyuncs.com' },
      'SLACK_SIGNING_SECRET is a published development secret',
    ],
    ['a two-character second webhook secret', { WEBHOOK_SECRET: `${LONG},ab` }, 'WEBHOOK_SECRET must be one or more'],
    ['an empty webhook secret entry', { WEBHOOK_SECRET: `${LONG},` }, 'WEBHOOK_SECRET must be one or more'],
    ['a short Slack signing secret among long ones', { SLACK_SIGNING_SECRET: `${LONG},${SHORT}` }, 'SLACK_SIGNING_SECRET must be one or more'],
    ['a short DingTalk app secret', { DINGTALK_APP_SECRET: SHORT }, `DINGTALK_APP_SECRET must be at least ${MIN_SECRET_LENGTH} characters`],
    ['a short Lark encrypt key', { LARK_ENCRYPT_KEY: SHORT }, 'LARK_ENCRYPT_KEY must be at least'],
    ['a short confirmation key', { CHATOPS_CONFIRM_SECRET: 'too-short' }, 'CHATOPS_CONFIRM_SECRET must be one or more'],
    ['a blank confirmation key', { CHATOPS_CONFIRM_SECRET: '   ' }, 'CHATOPS_CONFIRM_SECRET must be one or more'],
    ['a guardrail under another name', { MAX_BANDWIDTH: '500' }, 'MAX_BANDWIDTH is not a variable this function reads (did you mean MAX_BANDWIDTH_MBPS?)'],
    ['a guardrail with its words reordered', { BANDWIDTH_MAX_MBPS: '500' }, 'did you mean MAX_BANDWIDTH_MBPS?'],
    ['a guardrail with a word of its own', { MAX_MBPS: '500' }, 'did you mean MAX_BANDWIDTH_MBPS?'],
    ['a guardrail word in another name', { ALLOWED_REGIONS: 'China' }, 'ALLOWED_REGIONS is not a variable this function reads'],
    [
      'an allow-list entry without a platform',
      { CHATOPS_ALLOWED_USERS: 'U012AB3CD' },
      'CHATOPS_ALLOWED_USERS must be a comma-separated list of <platform>:<user id>',
    ],
    ['an allow-list entry of an unknown platform', { CHATOPS_ALLOWED_USERS: 'teams:U1' }, 'CHATOPS_ALLOWED_USERS must be'],
    ['an allow-list of only a comma', { CHATOPS_ALLOWED_USERS: ',' }, 'CHATOPS_ALLOWED_USERS must be'],
    ['an allow-list entry with a space', { CHATOPS_ALLOWED_USERS: 'slack:T1/U 1' }, 'CHATOPS_ALLOWED_USERS must be'],
    [
      'a reply host without its platform',
      { CHATOPS_REPLY_HOSTS: 'hooks.slack.com' },
      'CHATOPS_REPLY_HOSTS must be a comma-separated list of <platform>:<host>',
    ],
    ['a reply host with a scheme', { CHATOPS_REPLY_HOSTS: 'slack:https://hooks.slack.com' }, 'CHATOPS_REPLY_HOSTS must be'],
    ['a reply host of an unknown platform', { CHATOPS_REPLY_HOSTS: 'teams:example.com' }, 'CHATOPS_REPLY_HOSTS must be'],
    ['a Lark API base over http', { LARK_API_BASE: 'http://open.feishu.cn' }, 'LARK_API_BASE must be https://<host> with a host allowed for lark'],
    ['a Lark API base on another host', { LARK_API_BASE: 'https://attacker.example' }, 'LARK_API_BASE must be https://<host>'],
    ['a Lark API base with a path', { LARK_API_BASE: 'https://open.feishu.cn/evil' }, 'LARK_API_BASE must be https://<host>'],
    [
      'a loopback Lark API base not listed for lark',
      { LARK_API_BASE: 'http://127.0.0.1:9000', CHATOPS_REPLY_HOSTS: 'slack:127.0.0.1' },
      'LARK_API_BASE must be',
    ],
    ['a guardrail variable one letter short', { ALLOWED_AREA: 'China' }, 'ALLOWED_AREA is not a variable this function reads (did you mean ALLOWED_AREAS?)'],
    [
      'a guardrail variable in lower case',
      { max_bandwidth_mbps: '100' },
      'max_bandwidth_mbps is not a variable this function reads (did you mean MAX_BANDWIDTH_MBPS?)',
    ],
    ['a misspelt allow-list', { CHATOPS_ALLOWED_USER: 'slack:U1' }, 'did you mean CHATOPS_ALLOWED_USERS?'],
    ['a bandwidth limit out of range', { MAX_BANDWIDTH_MBPS: '0' }, 'MAX_BANDWIDTH_MBPS must be a whole number from 2 to 10000'],
    ['an unknown default charge type', { DEFAULT_CHARGE_TYPE: 'prepay' }, 'DEFAULT_CHARGE_TYPE must be POSTPAY or PREPAY'],
    ['a default period the API does not sell', { DEFAULT_PERIOD: '4 Month' }, 'DEFAULT_PERIOD must be a prepaid term such as "1 Month"'],
    ['a default period without its unit', { DEFAULT_PERIOD: '3' }, 'DEFAULT_PERIOD must be a prepaid term'],
    [
      'a DingTalk approver (its signature does not cover the message)',
      { APPROVERS: 'slack:T1/U1,dingtalk:corp/staff-2', APPROVAL_ABOVE_MBPS: '100', CHATOPS_CONFIRM_SECRET: LONG },
      'APPROVERS cannot name DingTalk users',
    ],
    ['an approval rule without approvers', { APPROVAL_FOR_PREPAY: 'true', CHATOPS_CONFIRM_SECRET: LONG }, 'APPROVERS is empty'],
    [
      'a job function name with a slash',
      { CHATOPS_JOB_FUNCTION: 'svc/create-bandwidth-plan' },
      'CHATOPS_JOB_FUNCTION must be a Function Compute function name',
    ],
    ['a job function name starting with a digit', { CHATOPS_JOB_FUNCTION: '1create' }, 'CHATOPS_JOB_FUNCTION must be a Function Compute function name'],
    [
      'a default charge type the guardrails refuse',
      { DEFAULT_CHARGE_TYPE: 'PREPAY', ALLOWED_CHARGE_TYPES: 'POSTPAY' },
      'DEFAULT_CHARGE_TYPE is not one of ALLOWED_CHARGE_TYPES',
    ],
  ])('%s', (_name, env, expected) => {
    const message = problem(env);
    expect(message).toContain(expected);
    // The value itself never appears: it may be a secret.
    for (const value of Object.values(env)) if (value.length >= 6) expect(message).not.toContain(value);
  });

  it('names every bad variable in one message', () => {
    expect(problem({ ALLOWED_AREAS: ',', WEBHOOK_SECRET: 'ab' })).toMatch(/WEBHOOK_SECRET.*ALLOWED_AREAS|ALLOWED_AREAS.*WEBHOOK_SECRET/);
  });
});

describe('configuration that loads', () => {
  it('reads nothing set as the defaults', () => {
    expect(loadConfig({})).toMatchObject({
      cenEndpoint: 'https://cbn.aliyuncs.com',
      webhookSecrets: [],
      guardrails: { maxBandwidthMbps: 1000, allowedChargeTypes: ['POSTPAY', 'PREPAY'], allowedAreas: undefined, maxPrepaidMonths: undefined },
      waitSeconds: 20,
      chatops: {
        larkApiBase: 'https://open.feishu.cn',
        allowedUsers: [],
        replyHosts: { dingtalk: ['oapi.dingtalk.com'], slack: ['hooks.slack.com'], lark: ['open.feishu.cn', 'open.larksuite.com'] },
      },
    });
  });

  it('takes an empty value (as s.yaml renders an unset one) as the default', () => {
    const config = loadConfig({ ALLOWED_AREAS: '', ALLOWED_CHARGE_TYPES: '', WEBHOOK_SECRET: '', CHATOPS_REPLY_HOSTS: '', CHATOPS_CONFIRM_SECRET: '' });
    expect(config.guardrails).toMatchObject({ allowedChargeTypes: ['POSTPAY', 'PREPAY'], allowedAreas: undefined });
    expect(config.webhookSecrets).toEqual([]);
  });

  it('reads several rotated secrets, trimmed', () => {
    expect(loadConfig({ WEBHOOK_SECRET: ` ${LONG} , ${LONG2} ` }).webhookSecrets).toEqual([LONG, LONG2]);
  });

  it('accepts the published development secrets against the local cloud only (CEN_ENDPOINT on loopback)', () => {
    const local = loadConfig({ ...DEVELOPMENT_SECRETS, CEN_ENDPOINT: 'http://127.0.0.1:4000' });
    expect(local.webhookSecrets).toEqual([DEVELOPMENT_SECRETS.WEBHOOK_SECRET]);
    expect(local.chatops.confirmSecrets).toEqual([DEVELOPMENT_SECRETS.CHATOPS_CONFIRM_SECRET]);
  });

  it('replaces a platform’s reply hosts only for the platforms listed', () => {
    const config = loadConfig({ CHATOPS_REPLY_HOSTS: 'slack:127.0.0.1,slack:hooks.slack.com,lark:127.0.0.1', LARK_API_BASE: 'http://127.0.0.1:4000' });
    expect(config.chatops.replyHosts).toEqual({ slack: ['127.0.0.1', 'hooks.slack.com'], dingtalk: ['oapi.dingtalk.com'], lark: ['127.0.0.1'] });
    expect(config.chatops.larkApiBase).toBe('http://127.0.0.1:4000');
  });

  it.each([
    [{}, { chargeType: 'POSTPAY', period: 1, pricingCycle: 'Month' }],
    [{ DEFAULT_CHARGE_TYPE: 'PREPAY' }, { chargeType: 'PREPAY', period: 1, pricingCycle: 'Month' }],
    [
      { DEFAULT_CHARGE_TYPE: 'PREPAY', DEFAULT_PERIOD: '6 Month' },
      { chargeType: 'PREPAY', period: 6, pricingCycle: 'Month' },
    ],
    [
      { DEFAULT_CHARGE_TYPE: 'PREPAY', DEFAULT_PERIOD: '1Year' },
      { chargeType: 'PREPAY', period: 1, pricingCycle: 'Year' },
    ],
  ])('reads the billing defaults %j', (env, expected) => {
    expect(loadConfig(env).billingDefaults).toEqual(expected);
  });

  it('names the function chat jobs are handed to, trimmed', () => {
    expect(loadConfig({ CHATOPS_JOB_FUNCTION: ' create-bandwidth-plan ' }).chatops.jobFunction).toBe('create-bandwidth-plan');
    expect(loadConfig({}).chatops.jobFunction).toBeUndefined();
  });

  it('accepts Lark abroad', () => {
    expect(loadConfig({ LARK_API_BASE: 'https://open.larksuite.com' }).chatops.larkApiBase).toBe('https://open.larksuite.com');
  });

  it('ignores variables of the platform and of unrelated tools', () => {
    expect(() =>
      loadConfig({ FC_FUNCTION_NAME: 'x', FC_REGION: 'cn-hangzhou', ALIBABA_CLOUD_ACCESS_KEY_ID: 'x', PATH: '/bin', NODE_OPTIONS: '' }),
    ).not.toThrow();
  });
});

/**
 * What the benchmark sends, shared by every side and every child process: the configuration the
 * handlers read, an FC context, and one event of each kind the function serves, built as the
 * platforms build them and delivered as FC delivers them (a Buffer):
 *
 * - `api`: `POST /bandwidth-plans`, webhook-signed (v2, with an Idempotency-Key);
 * - `eventbridge`: one CloudEvent whose `data` is the request;
 * - `timer`: a timer firing whose `payload` is the request;
 * - `chat`: a Slack `/bwp create …` from an allowed user, answered at once with a preview and a
 *   confirmation code (no upstream call).
 *
 * Each iteration has its own id, key or time, so no two invocations are the same intent.
 */
import { createHmac } from 'node:crypto';
import type { FcContext } from '../shared/runtime/fc';

export const WEBHOOK_SECRET = 'bench-webhook-secret-5d1e8b-0123456789abcdef';
export const SLACK_SIGNING_SECRET = 'bench-slack-signing-secret-7c2f-0123456789';
export const CHATOPS_CONFIRM_SECRET = 'bench-chatops-confirm-secret-9a4e-0123456789';
export const TOPIC = 'bandwidth-plan-events';
const SLACK_TEAM = 'T0BENCH';
const SLACK_USER = 'U0BENCH';

/** Any STS-shaped keys: the double checks nothing. */
export const CREDENTIALS = {
  accessKeyId: 'STS.BenchAccessKeyId0000001',
  accessKeySecret: 'bench-access-key-secret',
  securityToken: 'CAIS+BenchSecurityToken/With+Special=Chars',
} as const;

/** A typical request: the required fields, a name, a description and one tag. */
export const PLAN = {
  Bandwidth: 10,
  GeographicRegionAId: 'China',
  GeographicRegionBId: 'Europe',
  Name: 'bench-plan',
  Description: 'Benchmark bandwidth plan',
  Tag: [{ Key: 'team', Value: 'network' }],
} as const;

/** The same request with the defaults the product's schema applies, as a bare SDK call passes it. */
export const PLAN_WITH_DEFAULTS = { ...PLAN, BandwidthPackageChargeType: 'POSTPAY', PricingCycle: 'Month', Period: 1, AutoPay: false } as const;

export const INVOCATION_KINDS = ['api', 'eventbridge', 'timer', 'chat'] as const;
export type InvocationKind = (typeof INVOCATION_KINDS)[number];

/** The environment of both handlers: every upstream is the double (fast-double.ts). */
export function benchEnvironment(double: { readonly url: string; readonly mnsUrl: string }): Record<string, string> {
  return {
    CEN_ENDPOINT: double.url,
    MNS_ENDPOINT: double.mnsUrl,
    FC_ENDPOINT: double.url,
    NOTIFY_TOPIC: TOPIC,
    WEBHOOK_SECRET,
    WAIT_SECONDS: '0',
    SLACK_SIGNING_SECRET,
    CHATOPS_ALLOWED_USERS: `slack:${SLACK_TEAM}/${SLACK_USER}`,
    CHATOPS_CONFIRM_SECRET,
  };
}

export function fcContext(iteration: number): FcContext {
  return {
    requestId: `bench-fc-req-${iteration}`,
    credentials: { ...CREDENTIALS },
    function: { name: 'create-bandwidth-plan', handler: 'index.handler', memory: 512, timeout: 30 },
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
  };
}

/** One event of `kind`, as FC hands it to the handler. `runId` keeps ids apart across processes. */
export function benchEvent(kind: InvocationKind, iteration: number, runId: string): Buffer {
  const id = `bench-${runId}-${iteration}`;
  const now = Date.now();
  const event = {
    api: () => apiCreateEvent(JSON.stringify(PLAN), id, now),
    eventbridge: () => ({
      specversion: '1.0',
      id,
      source: 'ops.bandwidth-planner',
      type: 'ops:BandwidthPlan:CreateRequested',
      time: new Date(now).toISOString(),
      datacontenttype: 'application/json; charset=utf-8',
      aliyunaccountid: '1234567890123456',
      aliyunpublishtime: new Date(now).toISOString(),
      aliyuneventbusname: 'default',
      aliyunregionid: 'cn-hangzhou',
      data: PLAN,
    }),
    timer: () => ({ triggerTime: new Date(now + iteration * 60_000).toISOString(), triggerName: `bench-${runId}`, payload: JSON.stringify(PLAN) }),
    chat: () => slackCreateEvent(id, now),
  }[kind]();
  return Buffer.from(JSON.stringify(event));
}

/** Throws unless `answer` is the success the kind expects: a 201 create, a preview asking to confirm, a bought plan's id. */
export function expectSuccess(kind: InvocationKind, answer: unknown): void {
  const found = answer as { statusCode?: number; body?: unknown; CenBandwidthPackageId?: unknown } | undefined;
  const bought = typeof found?.CenBandwidthPackageId === 'string';
  const ok = { api: found?.statusCode === 201, chat: found?.statusCode === 200 && String(found.body).includes('confirm'), eventbridge: bought, timer: bought }[
    kind
  ];
  if (!ok) throw new Error(`${kind} invocation: unexpected answer ${JSON.stringify(answer)?.slice(0, 400)}`);
}

/** A v2 webhook signature (shared/sources/http-api/webhook-auth.ts): timestamp, method, path, query, key, body. */
export function webhookSignatureV2(secret: string, timestamp: string, method: string, path: string, idempotencyKey: string, body: string): string {
  return `v2=${createHmac('sha256', secret).update(`${timestamp}.${method}.${path}..${idempotencyKey}.${body}`).digest('hex')}`;
}

function apiCreateEvent(body: string, idempotencyKey: string, now: number) {
  const timestamp = String(Math.floor(now / 1000));
  return httpEvent('/bandwidth-plans', body, idempotencyKey, now, {
    'Content-Type': 'application/json',
    'Idempotency-Key': idempotencyKey,
    'X-Webhook-Timestamp': timestamp,
    'X-Webhook-Signature': webhookSignatureV2(WEBHOOK_SECRET, timestamp, 'POST', '/bandwidth-plans', idempotencyKey, body),
  });
}

function slackCreateEvent(id: string, now: number) {
  const body = new URLSearchParams({
    team_id: SLACK_TEAM,
    team_domain: 'example',
    channel_id: 'C0BENCH',
    channel_name: 'network-ops',
    user_id: SLACK_USER,
    user_name: 'alice',
    command: '/bwp',
    text: 'create 10 China Europe name=bench-plan',
    response_url: `https://hooks.slack.com/commands/${SLACK_TEAM}/${id}/bench`,
    trigger_id: id,
    api_app_id: 'A0BENCH',
  }).toString();
  const timestamp = String(Math.floor(now / 1000));
  const signature = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return httpEvent('/chatops/slack', body, id, now, {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': timestamp,
    'X-Slack-Signature': signature,
  });
}

/** An FC 3.0 HTTP trigger event for a POST. */
function httpEvent(path: string, body: string, requestId: string, now: number, headers: Record<string, string>) {
  return {
    version: 'v1',
    rawPath: path,
    headers: { 'User-Agent': 'bench', ...headers },
    queryParameters: {},
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '1234567890123456',
      domainName: 'create-bandwidth-plan-abcdefghij.cn-hangzhou.fcapp.run',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'bench' },
      requestId: `${requestId}-http`,
      time: new Date(now).toISOString(),
      timeEpoch: String(now),
    },
  };
}

/**
 * End-to-end harness: the real handler wired to the loopback CEN and MNS doubles, with captured logs
 * and helpers that build FC events the way FC delivers them (a Buffer).
 */
import { createHmac } from 'node:crypto';
import { createHandler, type Handler, type HandlerOptions } from '../../functions/create-bandwidth-plan/handler';
import { type Clock, systemClock } from '../../shared/runtime/clock';
import type { FcContext, FcHttpResponse } from '../../shared/runtime/fc';
import { type CenDouble, type CenDoubleOptions, startCenDouble } from '../doubles/cen';
import { type ChatDouble, DEV_LARK_APP, startChatDouble } from '../doubles/chat';
import { DEV_CREDENTIALS } from '../doubles/credentials';
import { type FcDouble, startFcDouble } from '../doubles/fc';
import { type MnsDouble, startMnsDouble } from '../doubles/mns';

export const WEBHOOK_SECRET = 'test-webhook-secret-7f3a9c-0123456789';
export const TOPIC = 'bandwidth-plan-events';
export const ACCOUNT_ID = '1234567890123456';
export const REGION = 'cn-hangzhou';

export const SLACK_SIGNING_SECRET = 'test-slack-signing-secret-0042-0123456789';
export const DINGTALK_APP_SECRET = 'test-dingtalk-app-secret-0042-0123456789';
export const LARK_ENCRYPT_KEY = 'test-lark-encrypt-key-0042-0123456789';
export const LARK_VERIFICATION_TOKEN = 'test-lark-verification-token-0042';
export const CHATOPS_CONFIRM_SECRET = 'test-chatops-confirm-secret-0123456789abcdef';
/** Allowed chat users, tenant-qualified as the parsers build them. */
export const CHAT_USERS = { slack: 'slack:T0001/U0001', dingtalk: 'dingtalk:ding-corp/staff-1', lark: 'lark:tenant-1/ou_alice' } as const;

/** Every secret a test environment holds: none may ever appear in a log, response, reply or message. */
export const SECRETS = [
  WEBHOOK_SECRET,
  DEV_CREDENTIALS.accessKeySecret,
  DEV_CREDENTIALS.securityToken!,
  SLACK_SIGNING_SECRET,
  DINGTALK_APP_SECRET,
  LARK_ENCRYPT_KEY,
  LARK_VERIFICATION_TOKEN,
  CHATOPS_CONFIRM_SECRET,
  DEV_LARK_APP.appSecret,
];

export interface HarnessOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cen?: CenDoubleOptions;
  readonly handler?: Partial<HandlerOptions>;
  /** FC function timeout in seconds (default 30). */
  readonly timeoutSeconds?: number;
  /**
   * The one clock of the function, the doubles and the requests this harness signs; default the
   * system clock. A TestClock (test/support/clock.ts) makes waits and expiries independent of the
   * machine's speed.
   */
  readonly clock?: Clock;
}

export interface Harness {
  readonly clock: Clock;
  readonly cen: CenDouble;
  readonly mns: MnsDouble;
  readonly fc: FcDouble;
  readonly chat: ChatDouble;
  readonly handler: Handler;
  readonly logs: string[];
  invoke(event: unknown, context?: Partial<FcContext>): Promise<unknown>;
  http(request: HttpCall): Promise<HttpAnswer>;
  close(): Promise<void>;
}

export interface HttpCall {
  readonly method?: string;
  readonly path: string;
  /** A string is sent as is; a Buffer as raw bytes (Base64 with `isBase64Encoded`, as FC sends binary); anything else as JSON. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** Sign with this secret (default the test secret); `false` sends no signature. */
  readonly sign?: string | false;
  /** Unix seconds used in the signature (default now). */
  readonly timestamp?: number;
  readonly base64?: boolean;
  /** When the request is sent, in epoch ms: the default signature timestamp and the event's time (default `Date.now()`). */
  readonly now?: number;
  /** The trigger's `requestContext.requestId` (default the next of a counter). */
  readonly requestId?: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: any;
}

/** Fast retries so fault tests finish in well under a second each. */
export const FAST_RETRIES = { baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 500, maxAttempts: 4 };

let invocationCounter = 0;

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const cen = await startCenDouble({ now, ...options.cen });
  const mns = await startMnsDouble({ now });
  const chat = await startChatDouble({ now });
  // The FC double runs async self-invocations through this same handler, as FC would.
  let handler: Handler | undefined;
  const fc = await startFcDouble({ now, onInvoke: (_name, body) => handler!(body, context()) });
  const logs: string[] = [];
  const env = {
    CEN_ENDPOINT: cen.url,
    MNS_ENDPOINT: mns.url,
    FC_ENDPOINT: fc.url,
    NOTIFY_TOPIC: TOPIC,
    WEBHOOK_SECRET,
    WAIT_SECONDS: '5',
    SLACK_SIGNING_SECRET,
    DINGTALK_APP_SECRET,
    LARK_ENCRYPT_KEY,
    LARK_VERIFICATION_TOKEN,
    LARK_APP_ID: DEV_LARK_APP.appId,
    LARK_APP_SECRET: DEV_LARK_APP.appSecret,
    LARK_API_BASE: chat.url,
    CHATOPS_ALLOWED_USERS: Object.values(CHAT_USERS).join(','),
    CHATOPS_REPLY_HOSTS: 'dingtalk:127.0.0.1,slack:127.0.0.1,lark:127.0.0.1',
    CHATOPS_CONFIRM_SECRET,
    ...options.env,
  };
  handler = createHandler({ env, writeLog: (line) => logs.push(line), retryPolicy: FAST_RETRIES, clock, ...options.handler });
  const context = (overrides: Partial<FcContext> = {}): FcContext => ({
    requestId: `fc-req-${++invocationCounter}`,
    credentials: { ...DEV_CREDENTIALS },
    function: { name: 'create-bandwidth-plan', handler: 'index.handler', memory: 512, timeout: options.timeoutSeconds ?? 30 },
    region: REGION,
    accountId: ACCOUNT_ID,
    ...overrides,
  });
  // A Buffer goes to the handler as is (raw bytes, as FC delivers them); a string as its UTF-8 bytes.
  const invoke = (event: unknown, overrides?: Partial<FcContext>) =>
    handler(Buffer.isBuffer(event) ? event : Buffer.from(typeof event === 'string' ? event : JSON.stringify(event)), context(overrides));
  return {
    clock,
    cen,
    mns,
    fc,
    chat,
    handler,
    logs,
    invoke,
    async http(call) {
      const response = (await invoke(httpEvent({ now: clock.now(), ...call }))) as FcHttpResponse;
      let body: unknown;
      try {
        body = JSON.parse(response.body);
      } catch {
        body = response.body;
      }
      return { status: response.statusCode, headers: response.headers, body };
    },
    async close() {
      await fc.idle();
      await Promise.all([cen.close(), mns.close(), fc.close(), chat.close()]);
    },
  };
}

/** What a v2 webhook signature covers besides the body. */
export interface SignedLine {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly idempotencyKey?: string | undefined;
}

const encodeComponent = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The README's webhook signature, computed here independently of the product: v1 over
 * "<ts>.<body>" for a plain create (POST, no query, no Idempotency-Key); v2 over
 * "<ts>.<METHOD>.<path>.<sorted query>.<key>.<body>" for everything else.
 */
export function signWebhook(secret: string, timestamp: number, body: string | Buffer, line?: SignedLine): string {
  // Sorted by parameter name, then joined (README): not by the joined strings, which differ when a
  // name is a prefix of another.
  const query = Object.entries(line?.query ?? {})
    .map(([name, value]) => [encodeComponent(name), encodeComponent(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const path = line && line.path.length > 1 ? line.path.replace(/\/+$/, '') : line?.path;
  const plain = !line || (line.method.toUpperCase() === 'POST' && query === '' && !line.idempotencyKey);
  const prefix = plain ? `${timestamp}.` : `${timestamp}.${line.method.toUpperCase()}.${path}.${query}.${line.idempotencyKey ?? ''}.`;
  return `${plain ? 'v1' : 'v2'}=${createHmac('sha256', secret).update(prefix).update(body).digest('hex')}`;
}

/** An FC 3.0 HTTP trigger event, as documented in docs/sources.md, "Function Compute" */
export function httpEvent(call: HttpCall): Record<string, unknown> {
  const method = call.method ?? 'POST';
  const bytes = Buffer.isBuffer(call.body) ? call.body : undefined;
  const body = call.body === undefined || bytes ? '' : typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  const now = call.now ?? Date.now();
  const timestamp = call.timestamp ?? Math.floor(now / 1000);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'vitest', ...call.headers };
  if (call.sign !== false) {
    headers['X-Webhook-Timestamp'] = String(timestamp);
    const idempotencyKey = Object.entries(call.headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
    const line = { method, path: call.path, query: call.query ?? {}, idempotencyKey };
    headers['X-Webhook-Signature'] = signWebhook(call.sign ?? WEBHOOK_SECRET, timestamp, bytes ?? body, line);
  }
  return {
    version: 'v1',
    rawPath: call.path,
    headers,
    queryParameters: call.query ?? {},
    body: bytes ? bytes.toString('base64') : call.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: bytes ? true : (call.base64 ?? false),
    requestContext: {
      accountId: ACCOUNT_ID,
      domainName: 'create-bandwidth-plan-abcdefghij.cn-hangzhou.fcapp.run',
      http: { method, path: call.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'vitest' },
      requestId: call.requestId ?? `http-req-${++invocationCounter}`,
      time: new Date(now).toISOString(),
      timeEpoch: String(now),
    },
  };
}

export function cloudEvent(id: string, data: unknown, source = 'ops.bandwidth-planner'): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source,
    type: 'ops:BandwidthPlan:CreateRequested',
    time: '2025-01-02T11:04:05+08:00',
    datacontenttype: 'application/json; charset=utf-8',
    aliyunaccountid: ACCOUNT_ID,
    aliyunpublishtime: '2025-01-02T11:04:05.179PRC',
    aliyuneventbusname: 'default',
    aliyunregionid: REGION,
    data,
  };
}

export function timerEvent(payload: unknown, triggerTime = '2025-02-01T01:00:00Z', triggerName = 'monthly'): Record<string, unknown> {
  return { triggerTime, triggerName, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) };
}

export const VALID_PLAN = { Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' } as const;

/** Finds any secret in the given texts; returns the offending snippets. */
export function findSecrets(texts: readonly string[], secrets: readonly string[] = SECRETS): string[] {
  return texts.filter((text) => secrets.some((secret) => text.includes(secret)));
}

/**
 * Turns a stored example event into one that will be let in: examples are kept unsigned, so HTTP
 * and chat events are signed at invoke time with a fresh timestamp (Lark's is also encrypted), and
 * for local runs the chat reply URLs point at the chat double (a Slack button press's `response_url`
 * is inside its `payload`). A button press carrying the placeholder {@link FRESH_CODE} gets a real
 * confirmation code for its presser, issued with CHATOPS_CONFIRM_SECRET, so the press is one the
 * function accepts (a made-up code is refused). EventBridge and timer events pass as
 * they are. In examples a JSON `body` may be written as an object for readability; it is sent as
 * the compact JSON string FC delivers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { validateBandwidthPlan } from '../shared/core/schema';
import { issueConfirmationCode } from '../shared/sources/chat/confirmation';
import { dingTalkSignature, larkEncrypt, larkSignature, type RequestLine, slackSignature, webhookSignature } from './signatures';

/** The secrets a signer needs, by the name of the variable the function reads them from. */
export type SigningEnv = Readonly<Record<string, string | undefined>>;

/** Where chat replies go in a local run (the chat double). */
export interface ReplyUrls {
  slackResponseUrl(): string;
  /** A button press's response_url (`/actions/…`). */
  slackActionUrl(): string;
  dingtalkSessionWebhook(): string;
}

export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
  constructor(readonly variable: string) {
    super(`${variable} is not set: it is needed to sign this event.`);
  }
}

export type EventKind = 'http' | 'slack' | 'dingtalk' | 'lark' | 'other';

/** In a button example, stands for a code the preview of `plan 100 China Europe` would have carried. */
export const FRESH_CODE = '<a confirmation code for the presser, issued at invoke time>';

function freshCode(requester: string, now: number, key: string): string {
  const validation = validateBandwidthPlan({ Bandwidth: 100, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
  if (!validation.ok) throw new Error('the example request is not valid');
  return issueConfirmationCode({ request: validation.request, requester, now, key });
}

type JsonRecord = Record<string, unknown>;

/** DingTalk session webhooks live about 90 minutes (docs/sources.md, "Chat platforms"). */
const DINGTALK_SESSION_MS = 5_400_060;

export function eventKind(event: unknown): EventKind {
  if (!isRecord(event) || typeof event.rawPath !== 'string') return 'other';
  const http = isRecord(event.requestContext) && isRecord(event.requestContext.http) ? event.requestContext.http : {};
  const path = typeof http.path === 'string' ? http.path : event.rawPath;
  const chat = /^\/chatops\/(slack|dingtalk|lark)\/?$/.exec(path);
  return chat ? (chat[1] as EventKind) : 'http';
}

/** Method, path, query and Idempotency-Key of an HTTP example: what a v2 signature covers. */
function requestLine(event: JsonRecord): RequestLine {
  const http = isRecord(event.requestContext) && isRecord(event.requestContext.http) ? event.requestContext.http : {};
  const headers = isRecord(event.headers) ? event.headers : {};
  const key = Object.entries(headers).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
  return {
    method: typeof http.method === 'string' ? http.method : 'POST',
    path: typeof http.path === 'string' ? http.path : String(event.rawPath),
    query: isRecord(event.queryParameters) ? (event.queryParameters as Record<string, string>) : {},
    idempotencyKey: typeof key === 'string' ? key : undefined,
  };
}

export interface PrepareOptions {
  readonly env: SigningEnv;
  /** Local runs only: rewrite reply URLs to these. */
  readonly replyUrls?: ReplyUrls;
  /** Epoch ms; default now. */
  readonly now?: number;
}

export function prepareEvent(event: unknown, options: PrepareOptions): unknown {
  const kind = eventKind(event);
  if (kind === 'other') return event;
  const http = event as JsonRecord;
  const now = options.now ?? Date.now();
  const seconds = Math.floor(now / 1000);
  const secret = (name: string): string => {
    const value = options.env[name]?.split(',')[0]?.trim();
    if (!value) throw new MissingSecretError(name);
    return value;
  };
  const text = bodyText(http);
  let body = text;
  let signed: Record<string, string>;
  switch (kind) {
    case 'http':
      signed = { 'X-Webhook-Timestamp': String(seconds), 'X-Webhook-Signature': webhookSignature(secret('WEBHOOK_SECRET'), seconds, body, requestLine(http)) };
      break;
    case 'slack': {
      const form = new URLSearchParams(text);
      const interaction = form.get('payload');
      if (interaction !== null) {
        // A button press: the response_url is a field of the JSON payload, and so is the code.
        const press = JSON.parse(interaction) as { team: { id: string }; user: { id: string }; actions: { value: string }[] } & JsonRecord;
        const action = press.actions[0];
        if (action?.value === FRESH_CODE) action.value = freshCode(`slack:${press.team.id}/${press.user.id}`, now, secret('CHATOPS_CONFIRM_SECRET'));
        form.set('payload', JSON.stringify(options.replyUrls ? { ...press, response_url: options.replyUrls.slackActionUrl() } : press));
      } else if (options.replyUrls) form.set('response_url', options.replyUrls.slackResponseUrl());
      body = form.toString();
      signed = { 'X-Slack-Request-Timestamp': String(seconds), 'X-Slack-Signature': slackSignature(secret('SLACK_SIGNING_SECRET'), seconds, body) };
      break;
    }
    case 'dingtalk': {
      const message = JSON.parse(text) as JsonRecord;
      message.createAt = now;
      message.sessionWebhookExpiredTime = now + DINGTALK_SESSION_MS;
      if (options.replyUrls) message.sessionWebhook = options.replyUrls.dingtalkSessionWebhook();
      body = JSON.stringify(message);
      signed = { timestamp: String(now), sign: dingTalkSignature(secret('DINGTALK_APP_SECRET'), now) };
      break;
    }
    case 'lark': {
      const message = JSON.parse(text) as JsonRecord;
      const header = isRecord(message.header) ? message.header : {};
      const event = message.event as { operator?: { open_id?: string }; action?: { value?: { code?: string } } } | undefined;
      if (event?.action?.value?.code === FRESH_CODE) {
        event.action.value.code = freshCode(`lark:${String(header.tenant_key)}/${event.operator?.open_id}`, now, secret('CHATOPS_CONFIRM_SECRET'));
      }
      // The function checks the verification token only when it has one; the app id is informative.
      message.header = {
        ...header,
        create_time: String(now),
        ...(options.env.LARK_VERIFICATION_TOKEN ? { token: options.env.LARK_VERIFICATION_TOKEN } : {}),
        ...(options.env.LARK_APP_ID ? { app_id: options.env.LARK_APP_ID } : {}),
      };
      const key = secret('LARK_ENCRYPT_KEY');
      const nonce = randomBytes(8).toString('hex');
      body = JSON.stringify({ encrypt: larkEncrypt(JSON.stringify(message), key) });
      signed = { 'X-Lark-Request-Timestamp': String(seconds), 'X-Lark-Request-Nonce': nonce, 'X-Lark-Signature': larkSignature(seconds, nonce, key, body) };
      break;
    }
  }
  return {
    ...http,
    headers: { ...withoutHeaders(isRecord(http.headers) ? http.headers : {}, Object.keys(signed)), ...signed },
    body,
    isBase64Encoded: false,
    requestContext: freshRequestContext(http.requestContext, now),
  };
}

/** The raw body as text: a string as FC delivers it (Base64 decoded), or an object written for readability. */
function bodyText(http: JsonRecord): string {
  if (typeof http.body === 'string') return http.isBase64Encoded === true ? Buffer.from(http.body, 'base64').toString('utf8') : http.body;
  return http.body === undefined ? '' : JSON.stringify(http.body);
}

function freshRequestContext(context: unknown, now: number): JsonRecord {
  return {
    ...(isRecord(context) ? context : {}),
    requestId: randomUUID(),
    time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    timeEpoch: String(now),
  };
}

/** Drops any header with one of these names, whatever its case, so the fresh one is the only one. */
function withoutHeaders(headers: JsonRecord, names: readonly string[]): JsonRecord {
  const drop = new Set(names.map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())));
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

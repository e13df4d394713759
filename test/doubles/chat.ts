/**
 * A loopback double of the chat platforms' reply endpoints, one server for all three: Slack
 * `response_url`s (a slash command's, and a button press's, which can replace the message the button
 * was on), DingTalk `sessionWebhook`s, and Lark's tenant token and message reply APIs (text, and
 * interactive cards). Every reply is recorded; Block Kit and card limits are enforced as the
 * platforms do (docs/buttons.md); faults can be queued per endpoint.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHAT_ACTIONS, type ChatAction, type ChatAnswer, type ChatPlatform, type ChatRoute, errorAnswer, faultAnswer, routeOf } from './chat-platforms';
import { sameText } from './constant-time';
import { type ErrorFault, FaultQueue, faultLabel, type InjectOptions, TRANSPORT_FAULTS } from './faults';
import { BodyTooLargeError, dropConnection, headerValue, type LoopbackServer, readBody, splitTarget, startLoopbackServer } from './server';

export type { ChatAction, ChatPlatform } from './chat-platforms';

export interface LarkApp {
  readonly appId: string;
  readonly appSecret: string;
}

/** The Lark app the local run and the tests share. */
export const DEV_LARK_APP: LarkApp = Object.freeze({ appId: 'cli_localdev0000000001', appSecret: 'local-dev-lark-app-secret' });

/** A tenant token lives two hours (`expire: 7200`). */
export const LARK_TOKEN_TTL_SECONDS = 7200;
/** A Slack `response_url` takes at most five replies (docs/sources.md, "Chat platforms"). */
export const SLACK_REPLIES_PER_URL = 5;
const DINGTALK_MSG_TYPES = ['text', 'markdown', 'actionCard', 'link', 'feedCard'];
const LARK_MSG_TYPES = ['text', 'post', 'image', 'interactive', 'share_chat', 'share_user', 'audio', 'media', 'file', 'sticker'];
/** Lark: a card message's body is at most 30 KB (docs/buttons.md §3.1; error 230025). */
const LARK_CARD_MAX_BYTES = 30_000;
/** Block Kit's limits (docs/buttons.md §1.2, and a section's text: 3000). */
const BLOCK_LIMITS = { blocks: 50, sectionText: 3000, elements: 25, actionId: 255, buttonValue: 2000, buttonText: 75 } as const;

export const CHAT_FAULTS = ['throttling', 'unavailable', 'internal', ...TRANSPORT_FAULTS] as const;
export type ChatFaultName = (typeof CHAT_FAULTS)[number];
export type ChatFault = ChatFaultName | ErrorFault;

export interface ChatDoubleOptions {
  /** Epoch ms; default `Date.now`. Drives Lark token expiry. */
  readonly now?: () => number;
  /** The Lark app whose id and secret buy a tenant token; default {@link DEV_LARK_APP}. */
  readonly lark?: LarkApp;
}

export interface ChatReply {
  readonly platform: ChatPlatform;
  /** Path and query as sent. */
  readonly path: string;
  /** The JSON body as parsed. */
  readonly body: unknown;
  /** DingTalk: the `session` query parameter. */
  readonly session?: string;
  /** Lark: the id of the message replied to. */
  readonly messageId?: string;
  /** Slack: the reply replaced the message the pressed button was on (`replace_original: true`), buttons and all. */
  readonly replacedOriginal?: true;
  readonly receivedAt: number;
}

export interface ChatRequestRecord {
  readonly method: string;
  readonly path: string;
  /** `slack`, `dingtalk`, `lark-token` or `lark-reply`; undefined for an unknown endpoint. */
  readonly action: ChatAction | undefined;
  /** The HTTP status answered; undefined while in flight and when no answer was sent. */
  readonly status: number | undefined;
  /** The fault this request took, if any. */
  readonly fault: string | undefined;
  readonly receivedAt: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class ChatDouble {
  readonly #now: () => number;
  readonly #lark: LarkApp;
  readonly #faults = new FaultQueue(CHAT_FAULTS);
  readonly #requests: ChatRequestRecord[] = [];
  readonly #replies: ChatReply[] = [];
  /** Token → expiry (epoch ms). */
  readonly #larkTokens = new Map<string, number>();
  readonly #slackUses = new Map<string, number>();
  #server: LoopbackServer | undefined;

  private constructor(options: ChatDoubleOptions) {
    this.#now = options.now ?? Date.now;
    this.#lark = options.lark ?? DEV_LARK_APP;
  }

  static async start(options: ChatDoubleOptions = {}): Promise<ChatDouble> {
    const double = new ChatDouble(options);
    double.#server = await startLoopbackServer((request, response) => double.#handle(request, response));
    return double;
  }

  /** `http://127.0.0.1:PORT`; also the Lark API base URL. */
  get url(): string {
    return this.#server?.url ?? '';
  }

  /** Every reply accepted, in order (token requests are not replies). */
  get replies(): readonly ChatReply[] {
    return this.#replies;
  }

  get requests(): readonly ChatRequestRecord[] {
    return this.#requests;
  }

  /** A Slack `response_url` served by this double, on Slack's own path (`/commands/<team>/<id>/<secret>`). */
  slackResponseUrl(id = randomBytes(8).toString('hex')): string {
    return `${this.url}/commands/T00LOCAL/1000000001/${encodeURIComponent(id)}`;
  }

  /** A button press's `response_url` served by this double, on Slack's own path (`/actions/<team>/<id>/<secret>`). */
  slackActionUrl(id = randomBytes(8).toString('hex')): string {
    return `${this.url}/actions/T00LOCAL/2000000001/${encodeURIComponent(id)}`;
  }

  /** A DingTalk `sessionWebhook` served by this double, on DingTalk's own path. */
  dingtalkSessionWebhook(session = randomBytes(8).toString('hex')): string {
    return `${this.url}/robot/sendBySession?session=${encodeURIComponent(session)}`;
  }

  /** Queues a fault; `action` is one of {@link CHAT_ACTIONS}. */
  inject(fault: ChatFault, options?: InjectOptions): void {
    this.#faults.inject(fault, options);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  close(): Promise<void> {
    return this.#server?.close() ?? Promise.resolve();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.url ?? '/';
    const { path, rawQuery } = splitTarget(target);
    const route = routeOf(request.method ?? '', path);
    const record: Mutable<ChatRequestRecord> = {
      method: request.method ?? '',
      path: target,
      action: route?.action,
      status: undefined,
      fault: undefined,
      receivedAt: this.#now(),
    };
    this.#requests.push(record);
    const answer = ({ status, body }: ChatAnswer): void => {
      record.status = status;
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };

    let raw: Buffer;
    try {
      raw = await readBody(request);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return answer({ status: 413, body: { error: error.message } });
    }
    if (!route) return answer({ status: 404, body: { error: `no chat endpoint at ${record.method} ${path}` } });
    if (route.action === CHAT_ACTIONS.larkReply) {
      const refused = this.#larkAuthProblem(headerValue(request, 'authorization'));
      if (refused) return answer(refused);
    }

    const fault = this.#faults.take(route.action);
    if (fault !== undefined) record.fault = faultLabel(fault);
    if (fault === 'reset') return dropConnection(response);
    if (fault === 'hang') return;
    if (fault !== undefined && fault !== 'drop-after-success') return answer(faultAnswer(route.platform, fault));

    const outcome = this.#perform(route, target, new URLSearchParams(rawQuery), raw);
    if (fault === 'drop-after-success') return dropConnection(response);
    answer(outcome);
  }

  #perform(route: ChatRoute, target: string, query: URLSearchParams, raw: Buffer): ChatAnswer {
    const body = parseJson(raw);
    const receivedAt = this.#now();
    switch (route.action) {
      case CHAT_ACTIONS.slack: {
        if (body === undefined) return errorAnswer('slack', 400, 'invalid_payload', 'invalid_payload');
        if (isRecord(body) && !validBlocks(body.blocks)) return errorAnswer('slack', 400, 'invalid_blocks', 'invalid_blocks');
        const uses = (this.#slackUses.get(route.id ?? '') ?? 0) + 1;
        if (uses > SLACK_REPLIES_PER_URL) return errorAnswer('slack', 404, 'used_url', 'used_url');
        this.#slackUses.set(route.id ?? '', uses);
        const replaced = route.kind === 'actions' && isRecord(body) && body.replace_original === true;
        this.#replies.push({ platform: 'slack', path: target, body, receivedAt, ...(replaced ? { replacedOriginal: true as const } : {}) });
        return { status: 200, body: { ok: true } };
      }
      case CHAT_ACTIONS.dingtalk: {
        const session = query.get('session');
        if (!session) return errorAnswer('dingtalk', 404, 404, 'session is missing');
        if (!isRecord(body) || !DINGTALK_MSG_TYPES.includes(String(body.msgtype))) {
          return errorAnswer('dingtalk', 200, 40035, `missing or invalid parameter: msgtype must be one of ${DINGTALK_MSG_TYPES.join(', ')}`);
        }
        this.#replies.push({ platform: 'dingtalk', path: target, body, session, receivedAt });
        return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
      }
      case CHAT_ACTIONS.larkToken:
        return this.#issueLarkToken(body);
      case CHAT_ACTIONS.larkReply: {
        if (!isRecord(body) || typeof body.content !== 'string' || !LARK_MSG_TYPES.includes(String(body.msg_type))) {
          return errorAnswer('lark', 400, 230001, 'invalid request parameter: content must be a JSON string and msg_type a Lark message type');
        }
        if (body.msg_type === 'interactive') {
          if (Buffer.byteLength(body.content) > LARK_CARD_MAX_BYTES)
            return errorAnswer('lark', 400, 230025, 'The length of the message content reaches its limit.');
          if (!isRecord(parseJson(Buffer.from(body.content))))
            return errorAnswer('lark', 400, 230099, 'Failed to create card content: the card is not a JSON object.');
        }
        this.#replies.push({ platform: 'lark', path: target, body, messageId: route.id, receivedAt });
        return {
          status: 200,
          body: {
            code: 0,
            msg: 'success',
            data: { message_id: `om_${randomBytes(16).toString('hex')}`, parent_id: route.id, root_id: route.id, msg_type: body.msg_type },
          },
        };
      }
    }
  }

  #issueLarkToken(body: unknown): ChatAnswer {
    const appId = isRecord(body) && typeof body.app_id === 'string' ? body.app_id : '';
    const appSecret = isRecord(body) && typeof body.app_secret === 'string' ? body.app_secret : '';
    if (!sameText(appId, this.#lark.appId) || !sameText(appSecret, this.#lark.appSecret)) {
      return errorAnswer('lark', 400, 10014, 'app secret invalid');
    }
    const token = `t-${randomBytes(20).toString('hex')}`;
    this.#larkTokens.set(token, this.#now() + LARK_TOKEN_TTL_SECONDS * 1000);
    return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire: LARK_TOKEN_TTL_SECONDS } };
  }

  #larkAuthProblem(authorization: string | undefined): ChatAnswer | undefined {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (token === undefined) return errorAnswer('lark', 400, 99991661, 'Missing access token for authorization. Please make a request with token attached.');
    const expiry = this.#larkTokens.get(token);
    if (expiry === undefined || expiry <= this.#now()) {
      return errorAnswer('lark', 400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
    }
    return undefined;
  }
}

export const startChatDouble = (options?: ChatDoubleOptions): Promise<ChatDouble> => ChatDouble.start(options);

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `blocks` (absent, or the section and actions blocks replies use) stay within Block Kit's limits; Slack answers `invalid_blocks` otherwise. */
function validBlocks(blocks: unknown): boolean {
  if (blocks === undefined) return true;
  if (!Array.isArray(blocks) || blocks.length > BLOCK_LIMITS.blocks) return false;
  return blocks.every((block) => {
    if (!isRecord(block)) return false;
    if (block.type === 'section') return isRecord(block.text) && typeof block.text.text === 'string' && block.text.text.length <= BLOCK_LIMITS.sectionText;
    if (block.type !== 'actions' || !Array.isArray(block.elements) || block.elements.length > BLOCK_LIMITS.elements) return false;
    return block.elements.every(
      (button) =>
        isRecord(button) &&
        button.type === 'button' &&
        typeof button.action_id === 'string' &&
        button.action_id.length <= BLOCK_LIMITS.actionId &&
        (button.value === undefined || (typeof button.value === 'string' && button.value.length <= BLOCK_LIMITS.buttonValue)) &&
        isRecord(button.text) &&
        typeof button.text.text === 'string' &&
        button.text.text.length <= BLOCK_LIMITS.buttonText,
    );
  });
}

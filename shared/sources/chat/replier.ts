/**
 * Sends a reply to where the chat message came from: Slack `response_url`, DingTalk `sessionWebhook`,
 * Lark's reply API (with a tenant token from the app id and secret, cached until it expires). Every
 * URL is checked against CHATOPS_REPLY_HOSTS again right before sending: jobs carry reply targets
 * across an async invocation, and a reply may carry a confirmation code.
 */
import { ProductError } from '../../core/errors';
import { nodeHttpTransport, type HttpResponse, type HttpTransport } from '../../runtime/http';
import { retry, type RetryPolicy } from '../../runtime/retry';
import { systemClock, type Clock } from '../../runtime/clock';
import { isAllowedReplyUrl, type Platform, type ReplyHosts, type ReplyTarget } from './message';
import type { Reply } from './replies';
import { renderDingTalk, renderLark, renderSlack } from './render';

export interface ChatReplierOptions {
  readonly replyHosts: ReplyHosts;
  readonly larkApiBase: string;
  readonly larkAppId?: string | undefined;
  readonly larkAppSecret?: string | undefined;
  readonly transport?: HttpTransport;
  readonly clock?: Clock;
  readonly retryPolicy?: Partial<RetryPolicy>;
}

/** Lark tokens live 2 hours; refresh a little early so one never expires mid-request. */
const LARK_TOKEN_MARGIN_MS = 5 * 60_000;

export class ChatReplier {
  readonly #options: ChatReplierOptions;
  readonly #transport: HttpTransport;
  readonly #clock: Clock;
  #larkToken: { value: string; expiresAt: number } | undefined;

  constructor(options: ChatReplierOptions) {
    this.#options = options;
    this.#transport = options.transport ?? nodeHttpTransport;
    this.#clock = options.clock ?? systemClock;
  }

  /** Sends `reply`; throws a `ReplyFailed` error (retryable when the platform said so) if it cannot. */
  async send(target: ReplyTarget, reply: Reply, deadline: number): Promise<void> {
    switch (target.platform) {
      case 'slack':
        return this.#post('slack', target.responseUrl, renderSlack(reply), {}, deadline, slackAccepted);
      case 'dingtalk':
        if (target.expiresAt <= this.#clock.now()) throw new ProductError('ReplyFailed', 'The DingTalk session webhook has expired.', { retryable: false });
        return this.#post('dingtalk', target.sessionWebhook, renderDingTalk(reply), {}, deadline, larkOrDingTalkAccepted);
      case 'lark': {
        const token = await this.#tenantToken(deadline);
        const url = `${this.#options.larkApiBase.replace(/\/+$/, '')}/open-apis/im/v1/messages/${encodeURIComponent(target.messageId)}/reply`;
        return this.#post('lark', url, renderLark(reply), { authorization: `Bearer ${token}` }, deadline, larkOrDingTalkAccepted);
      }
    }
  }

  async #tenantToken(deadline: number): Promise<string> {
    const cached = this.#larkToken;
    if (cached && cached.expiresAt > this.#clock.now()) return cached.value;
    const { larkAppId, larkAppSecret } = this.#options;
    if (!larkAppId || !larkAppSecret) {
      throw new ProductError('ConfigurationError', 'Lark replies need LARK_APP_ID and LARK_APP_SECRET.');
    }
    const url = `${this.#options.larkApiBase.replace(/\/+$/, '')}/open-apis/auth/v3/tenant_access_token/internal`;
    let token: { value: string; expiresAt: number } | undefined;
    await this.#post('lark', url, { app_id: larkAppId, app_secret: larkAppSecret }, {}, deadline, (response) => {
      const body = parseJson(response.body);
      if (response.status !== 200 || body?.code !== 0 || typeof body.tenant_access_token !== 'string') return larkOrDingTalkAccepted(response);
      const lifetimeMs = (typeof body.expire === 'number' ? body.expire : 7200) * 1000;
      token = { value: body.tenant_access_token, expiresAt: this.#clock.now() + lifetimeMs - LARK_TOKEN_MARGIN_MS };
      return undefined;
    });
    this.#larkToken = token;
    return token!.value;
  }

  async #post(
    platform: Platform,
    url: string,
    body: unknown,
    headers: Record<string, string>,
    deadline: number,
    check: (response: HttpResponse) => ProductError | undefined,
  ): Promise<void> {
    if (!isAllowedReplyUrl(url, platform, this.#options.replyHosts)) {
      // The host only: a reply URL can carry a session key.
      throw new ProductError('ReplyFailed', `Replies to ${hostOf(url)} are not allowed (CHATOPS_REPLY_HOSTS).`, { retryable: false });
    }
    const payload = JSON.stringify(body);
    await retry(
      async (attempt) => {
        const response = await this.#transport({
          method: 'POST',
          url: new URL(url),
          headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
          body: payload,
          timeoutMs: attempt.timeoutMs,
        });
        const failure = check(response);
        if (failure) throw failure;
      },
      { deadline, clock: this.#clock, ...(this.#options.retryPolicy ? { policy: this.#options.retryPolicy } : {}) },
    );
  }
}

function slackAccepted(response: HttpResponse): ProductError | undefined {
  if (response.status >= 200 && response.status < 300) return undefined;
  const retryable = response.status === 429 || response.status >= 500;
  return new ProductError('ReplyFailed', `Slack answered HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 100)}`, { retryable });
}

/** DingTalk answers `{errcode: 0}`, Lark `{code: 0}`; throttling and 5xx are worth another try. */
function larkOrDingTalkAccepted(response: HttpResponse): ProductError | undefined {
  const body = parseJson(response.body);
  const code = body?.errcode ?? body?.code;
  if (response.status >= 200 && response.status < 300 && (code === 0 || code === undefined)) return undefined;
  const retryable = response.status === 429 || response.status >= 500 || code === 130101 || code === 99991400;
  const message = typeof body?.errmsg === 'string' ? body.errmsg : typeof body?.msg === 'string' ? body.msg : `HTTP ${response.status}`;
  return new ProductError('ReplyFailed', `The chat platform refused the reply: ${String(code ?? response.status)} ${message}`, { retryable });
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

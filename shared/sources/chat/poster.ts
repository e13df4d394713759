/**
 * Posts a chat reply: JSON to a URL, retried within the deadline. Every URL is checked against the
 * platform's reply endpoint and allowed hosts again right before sending: jobs carry reply targets
 * across an async invocation, and a reply may carry a confirmation code.
 */
import { ProductError } from '../../core/errors';
import type { Clock } from '../../runtime/clock';
import type { ChatopsConfig } from '../../runtime/config';
import type { HttpResponse, HttpTransport } from '../../runtime/http';
import { type RetryPolicy, retry } from '../../runtime/retry';
import { isAllowedReplyUrl, type Platform, type ReplyEndpoint } from './message';

export interface ReplyPosterOptions {
  readonly config: ChatopsConfig;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly retryPolicy?: Partial<RetryPolicy> | undefined;
}

/** What the platform answered means: undefined when the reply was taken, else the error to throw (retryable or not). */
export type ReplyCheck = (response: HttpResponse) => ProductError | undefined;

export class ReplyPoster {
  readonly #options: ReplyPosterOptions;

  constructor(options: ReplyPosterOptions) {
    this.#options = options;
  }

  get clock(): Clock {
    return this.#options.clock;
  }

  get config(): ChatopsConfig {
    return this.#options.config;
  }

  async post(
    platform: Platform,
    endpoint: ReplyEndpoint,
    url: string,
    body: unknown,
    request: { readonly headers?: Readonly<Record<string, string>>; readonly deadline: number; readonly check: ReplyCheck },
  ): Promise<void> {
    if (!isAllowedReplyUrl(url, endpoint, this.#options.config.replyHosts[platform])) {
      // The host only: a reply URL can carry a session key.
      throw new ProductError('ReplyFailed', `Replies to ${hostOf(url)} are not allowed for ${platform} (CHATOPS_REPLY_HOSTS).`, { retryable: false });
    }
    const payload = JSON.stringify(body);
    await retry(
      async (attempt) => {
        const response = await this.#options.transport({
          method: 'POST',
          url: new URL(url),
          headers: { 'content-type': 'application/json; charset=utf-8', ...request.headers },
          body: payload,
          timeoutMs: attempt.timeoutMs,
        });
        const failure = request.check(response);
        if (failure) throw failure;
      },
      { deadline: request.deadline, clock: this.#options.clock, ...(this.#options.retryPolicy ? { policy: this.#options.retryPolicy } : {}) },
    );
  }
}

/** A JSON answer body as an object, or undefined. */
export function jsonAnswer(body: Buffer): Record<string, unknown> | undefined {
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

/**
 * The check for a platform that answers JSON with a numeric code (DingTalk `errcode`, Lark `code`):
 * 2xx and code 0 (or none) took the reply; 429, 5xx and the platform's throttling code are worth
 * another try.
 */
export function codeAnswerCheck(platform: string, fields: { readonly code: string; readonly message: string }, throttledCode: number): ReplyCheck {
  return (response) => {
    const body = jsonAnswer(response.body);
    const code = body?.[fields.code];
    if (response.status >= 200 && response.status < 300 && (code === 0 || code === undefined)) return undefined;
    const retryable = response.status === 429 || response.status >= 500 || code === throttledCode;
    const text = body?.[fields.message];
    return new ProductError(
      'ReplyFailed',
      `${platform} refused the reply: ${String(code ?? response.status)} ${typeof text === 'string' ? text : `HTTP ${response.status}`}`,
      { retryable },
    );
  };
}

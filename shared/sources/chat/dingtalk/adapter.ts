/**
 * DingTalk (robot callbacks): `timestamp` + `sign` headers, the JSON body, replies posted to the
 * message's `sessionWebhook` while it lasts.
 */
import { ProductError } from '../../../core/errors';
import type { HttpResponse } from '../../../runtime/http';
import type { ChatPlatformAdapter } from '../platform';
import { jsonAnswer } from '../poster';
import { DINGTALK_REPLY_ENDPOINT, parseDingTalkMessage } from './parse';
import { renderDingTalk } from './render';
import { verifyDingTalkRequest } from './verify';

/** DingTalk's "send too fast" (a 200 with errcode 130101) is throttling. */
const THROTTLED = 130101;

/** DingTalk answers `{errcode: 0}`; throttling and 5xx are worth another try. */
function dingTalkAccepted(response: HttpResponse): ProductError | undefined {
  const body = jsonAnswer(response.body);
  const code = body?.errcode;
  if (response.status >= 200 && response.status < 300 && (code === 0 || code === undefined)) return undefined;
  const retryable = response.status === 429 || response.status >= 500 || code === THROTTLED;
  const message = typeof body?.errmsg === 'string' ? body.errmsg : `HTTP ${response.status}`;
  return new ProductError('ReplyFailed', `DingTalk refused the reply: ${String(code ?? response.status)} ${message}`, { retryable });
}

export const dingtalkPlatform: ChatPlatformAdapter = {
  name: 'dingtalk',
  replyEndpoint: DINGTALK_REPLY_ENDPOINT,
  ignoresNonCommands: false,
  open(request, config, now) {
    const verification = verifyDingTalkRequest({ headers: request.headers, now, appSecret: config.dingtalkAppSecret });
    if (!verification.ok) return { refused: verification.reason };
    return { parsed: parseDingTalkMessage(request.rawBody.toString('utf8'), config.replyHosts) };
  },
  answerBody: () => undefined,
  async send(target, reply, poster, deadline) {
    if ((target.expiresAt ?? 0) <= poster.clock.now()) throw new ProductError('ReplyFailed', 'The DingTalk session webhook has expired.', { retryable: false });
    await poster.post('dingtalk', DINGTALK_REPLY_ENDPOINT, target.url ?? '', renderDingTalk(reply), { deadline, check: dingTalkAccepted });
  },
};

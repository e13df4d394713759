/**
 * DingTalk (robot callbacks): `timestamp` + `sign` headers, the JSON body, replies posted to the
 * message's `sessionWebhook` while it lasts.
 */
import { ProductError } from '../../../core/errors';
import type { ChatPlatformAdapter } from '../platform';
import { codeAnswerCheck } from '../poster';
import { DINGTALK_REPLY_ENDPOINT, parseDingTalkMessage } from './parse';
import { renderDingTalk } from './render';
import { verifyDingTalkRequest } from './verify';

/** DingTalk answers `{errcode: 0}`; its "send too fast" (a 200 with errcode 130101) is throttling. */
const dingTalkAccepted = codeAnswerCheck('DingTalk', { code: 'errcode', message: 'errmsg' }, 130101);

export const dingtalkPlatform: ChatPlatformAdapter = {
  name: 'dingtalk',
  replyEndpoint: DINGTALK_REPLY_ENDPOINT,
  open(request, config, now) {
    const verification = verifyDingTalkRequest({ headers: request.headers, now, appSecret: config.dingtalkAppSecret });
    if (!verification.ok) return { refused: verification.reason };
    return { parsed: parseDingTalkMessage(request.rawBody.toString('utf8'), config.replyHosts) };
  },
  // The robot callback takes no message in its answer, and has no buttons (README "Buttons"): always posted.
  deliver: () => ({ post: 'json' }),
  async send(target, reply, poster, deadline) {
    if ((target.expiresAt ?? 0) <= poster.clock.now()) throw new ProductError('ReplyFailed', 'The DingTalk session webhook has expired.', { retryable: false });
    await poster.post('dingtalk', DINGTALK_REPLY_ENDPOINT, target.url ?? '', renderDingTalk(reply), { deadline, check: dingTalkAccepted });
  },
};

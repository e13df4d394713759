/**
 * A verified DingTalk robot callback (JSON, docs/sources.md, "Chat platforms") as a {@link ChatMessage}. Authorizes
 * on `senderCorpId` + `senderStaffId`; `senderNick` is only displayed and `isAdmin` is ignored.
 */
import { DEFAULT_REPLY_HOSTS, type ReplyHosts } from '../../../runtime/config';
import { type ChatParse, idIssue, type ReplyEndpoint, replyUrlIssue, userKeyFor } from '../message';
import { parseJsonObject, readConstant, readNumber, readStrings } from '../payload';

/**
 * DingTalk's session webhooks: `https://oapi.dingtalk.com/robot/sendBySession?session=…`. Any other
 * path on that host (a custom group robot, `/robot/send?access_token=…`) may be someone else's group.
 */
export const DINGTALK_REPLY_ENDPOINT: ReplyEndpoint = { path: /^\/robot\/sendBySession$/, shape: '/robot/sendBySession?session=…' };

const REQUIRED = ['msgId', 'senderStaffId', 'senderCorpId', 'conversationId', 'sessionWebhook', 'text.content'] as const;

/** @param replyHosts hosts reply URLs may point at (CHATOPS_REPLY_HOSTS); default each platform's own. */
export function parseDingTalkMessage(rawBody: string, replyHosts: ReplyHosts = DEFAULT_REPLY_HOSTS): ChatParse {
  const body = parseJsonObject(rawBody);
  if (!body.ok) return body;
  const msgtype = readConstant(body.value, 'msgtype', 'text');
  if (!msgtype.ok) return msgtype;
  const read = readStrings(body.value, REQUIRED);
  if (!read.ok) return read;
  const expiresAt = readNumber(body.value, 'sessionWebhookExpiredTime');
  if (!expiresAt.ok) return expiresAt;
  const fields = read.value;
  const issue =
    idIssue('senderCorpId', fields.senderCorpId) ??
    idIssue('senderStaffId', fields.senderStaffId) ??
    replyUrlIssue('sessionWebhook', fields.sessionWebhook, 'dingtalk', DINGTALK_REPLY_ENDPOINT, replyHosts.dingtalk);
  if (issue) return { ok: false, issue };
  const nick = body.value.senderNick;
  return {
    ok: true,
    message: {
      platform: 'dingtalk',
      messageId: fields.msgId,
      userId: fields.senderStaffId,
      tenantId: fields.senderCorpId,
      userKey: userKeyFor('dingtalk', fields.senderCorpId, fields.senderStaffId),
      displayName: typeof nick === 'string' && nick !== '' ? nick : undefined,
      // The @mention of the robot is removed by DingTalk but leaves a leading space.
      text: fields['text.content'].trim(),
      channelId: fields.conversationId,
      replyTo: { platform: 'dingtalk', url: fields.sessionWebhook, expiresAt: expiresAt.value },
    },
  };
}

/**
 * A verified DingTalk robot callback (JSON, docs/sources.md, "Chat platforms") as a {@link ChatMessage}. Authorizes
 * on `senderCorpId` + `senderStaffId`; `senderNick` is only displayed and `isAdmin` is ignored.
 */

import type { Issue } from '../../../core/errors';
import { DEFAULT_REPLY_HOSTS, type ReplyHosts } from '../../../runtime/config';
import { isPlainObject } from '../../json';
import { type ChatParse, idIssue, type ReplyEndpoint, replyUrlIssue, userKeyFor, withoutLeadingMentions } from '../message';
import { type JsonObject, parseJsonObject, readNumber, readStrings, valueAt } from '../payload';

/**
 * DingTalk's session webhooks: `https://oapi.dingtalk.com/robot/sendBySession?session=…`. Any other
 * path on that host (a custom group robot, `/robot/send?access_token=…`) may be someone else's group.
 */
export const DINGTALK_REPLY_ENDPOINT: ReplyEndpoint = { path: /^\/robot\/sendBySession$/, shape: '/robot/sendBySession?session=…' };

const REQUIRED = ['msgId', 'senderStaffId', 'senderCorpId', 'conversationId', 'sessionWebhook'] as const;

/** DingTalk mentions are `@` and a name (the robot's own is removed from text messages, not from rich text). */
const MENTION = /@[^\s@]+/;

/**
 * The command text: a text message's `text.content`, or a rich-text message's text fragments joined
 * (`content.richText`, sent by some clients; its first fragment is the robot's `@name`; pictures are
 * skipped), leading mentions removed.
 */
function commandText(body: JsonObject): { ok: true; text: string } | { ok: false; issue: Issue } {
  const msgtype = valueAt(body, 'msgtype');
  if (msgtype === 'text') {
    const read = readStrings(body, ['text.content']);
    return read.ok ? { ok: true, text: withoutLeadingMentions(read.value['text.content'], MENTION) } : read;
  }
  if (msgtype === 'richText') {
    const fragments = valueAt(body, 'content.richText');
    if (!Array.isArray(fragments))
      return { ok: false, issue: { path: 'content.richText', message: fragments === undefined ? 'is required' : 'must be a list' } };
    const texts = fragments.flatMap((fragment) => (isPlainObject(fragment) && typeof fragment.text === 'string' ? [fragment.text] : []));
    return { ok: true, text: withoutLeadingMentions(texts.join(' '), MENTION) };
  }
  return { ok: false, issue: { path: 'msgtype', message: msgtype === undefined ? 'is required' : 'must be "text" or "richText"' } };
}

/** @param replyHosts hosts reply URLs may point at (CHATOPS_REPLY_HOSTS); default each platform's own. */
export function parseDingTalkMessage(rawBody: string, replyHosts: ReplyHosts = DEFAULT_REPLY_HOSTS): ChatParse {
  const body = parseJsonObject(rawBody);
  if (!body.ok) return body;
  const command = commandText(body.value);
  if (!command.ok) return command;
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
      text: command.text,
      channelId: fields.conversationId,
      replyTo: { platform: 'dingtalk', url: fields.sessionWebhook, expiresAt: expiresAt.value },
    },
  };
}

/**
 * A verified, decrypted Lark/Feishu `im.message.receive_v1` event (schema 2.0, docs/sources.md, "Chat platforms") as
 * a {@link ChatMessage}. Authorizes on `tenant_key` + `open_id`.
 */
import { type ChatParse, idIssue, userKeyFor, withoutLeadingMentions } from '../message';
import { type JsonObject, parseJsonObject, readConstant, readStrings } from '../payload';

const REQUIRED = [
  'header.event_id',
  'header.tenant_key',
  'event.sender.sender_id.open_id',
  'event.message.message_id',
  'event.message.chat_id',
  'event.message.content',
] as const;

/** Only text messages that users (not bots) send to the bot are commands. */
const EXPECTED = [
  ['schema', '2.0'],
  ['header.event_type', 'im.message.receive_v1'],
  ['event.sender.sender_type', 'user'],
  ['event.message.message_type', 'text'],
] as const;

/** Mentions arrive as placeholders (`@_user_1`, `@_all`); the bot's own one precedes the command. */
const MENTION = /@_(?:user_\d+|all)/;

export function parseLarkMessage(event: JsonObject): ChatParse {
  for (const [path, expected] of EXPECTED) {
    const check = readConstant(event, path, expected);
    if (!check.ok) return check;
  }
  const read = readStrings(event, REQUIRED);
  if (!read.ok) return read;
  const fields = read.value;
  // `content` is itself a JSON string: `{"text": "…"}` for text messages.
  const content = parseJsonObject(fields['event.message.content'], 'event.message.content');
  if (!content.ok) return content;
  const text = readStrings(content.value, ['text']);
  if (!text.ok) return { ok: false, issue: { path: 'event.message.content.text', message: text.issue.message } };
  const tenantId = fields['header.tenant_key'];
  const userId = fields['event.sender.sender_id.open_id'];
  const issue = idIssue('header.tenant_key', tenantId) ?? idIssue('event.sender.sender_id.open_id', userId);
  if (issue) return { ok: false, issue };
  const messageId = fields['event.message.message_id'];
  return {
    ok: true,
    message: {
      platform: 'lark',
      messageId: fields['header.event_id'],
      userId,
      tenantId,
      userKey: userKeyFor('lark', tenantId, userId),
      text: withoutLeadingMentions(text.value.text, MENTION),
      channelId: fields['event.message.chat_id'],
      replyTo: { platform: 'lark', messageId },
    },
  };
}

/**
 * A verified, decrypted Lark/Feishu card callback — `card.action.trigger`, schema 2.0
 * (docs/buttons.md §3.2) — as the {@link ChatMessage} the button press stands for: the
 * `<command> <code>` its value carries (render.ts puts `{command, code}` there). Authorizes on
 * `tenant_key` + the operator's `open_id`, the user key of messages. Replies to the card's message.
 */
import { isPlainObject } from '../../json';
import { buttonCommandText, type ChatParse, idIssue, userKeyFor } from '../message';
import { type JsonObject, readConstant, readStrings, valueAt } from '../payload';

export const LARK_CARD_ACTION = 'card.action.trigger';

const REQUIRED = ['header.event_id', 'header.tenant_key', 'event.operator.open_id', 'event.context.open_message_id', 'event.context.open_chat_id'] as const;

const EXPECTED = [
  ['schema', '2.0'],
  ['header.event_type', LARK_CARD_ACTION],
  ['event.action.tag', 'button'],
] as const;

/** The keys of a button's value, exactly. */
const VALUE_KEYS = ['code', 'command'];

export function isLarkCardAction(event: JsonObject): boolean {
  return valueAt(event, 'header.event_type') === LARK_CARD_ACTION;
}

export function parseLarkCardAction(event: JsonObject): ChatParse {
  for (const [path, expected] of EXPECTED) {
    const check = readConstant(event, path, expected);
    if (!check.ok) return check;
  }
  const read = readStrings(event, REQUIRED);
  if (!read.ok) return read;
  const fields = read.value;
  const value = valueAt(event, 'event.action.value');
  if (!isPlainObject(value) || Object.keys(value).sort().join() !== VALUE_KEYS.join()) {
    return { ok: false, issue: { path: 'event.action.value', message: 'must be an object of exactly command and code' } };
  }
  const text = buttonCommandText(value.command, value.code, { command: 'event.action.value.command', code: 'event.action.value.code' });
  if (typeof text !== 'string') return { ok: false, issue: text };
  const tenantId = fields['header.tenant_key'];
  const userId = fields['event.operator.open_id'];
  const issue = idIssue('header.tenant_key', tenantId) ?? idIssue('event.operator.open_id', userId);
  if (issue) return { ok: false, issue };
  return {
    ok: true,
    message: {
      platform: 'lark',
      messageId: fields['header.event_id'],
      userId,
      tenantId,
      userKey: userKeyFor('lark', tenantId, userId),
      text,
      channelId: fields['event.context.open_chat_id'],
      replyTo: { platform: 'lark', messageId: fields['event.context.open_message_id'], fromButton: true },
    },
  };
}

/**
 * A verified Slack interaction (a button press): the form body `payload=<JSON>`, signed like a slash
 * command (docs/buttons.md §2), read strictly as a `block_actions` payload into the
 * {@link ChatMessage} the press stands for — `<action_id> <value>`, the command and code the button
 * was rendered with (render.ts). Authorizes on `team.id` + `user.id`, the user key of slash commands.
 * Anything else (another payload type, a second action, a field Slack would not send) is refused,
 * naming the field.
 */

import { DEFAULT_REPLY_HOSTS, type ReplyHosts } from '../../../runtime/config';
import { isPlainObject } from '../../json';
import { buttonCommandText, type ChatParse, idIssue, replyUrlIssue, userKeyFor } from '../message';
import { parseJsonObject, readConstant, readStrings, valueAt } from '../payload';
import { formFields, SLACK_REPLY_ENDPOINT } from './parse';

const REQUIRED = ['payload.user.id', 'payload.team.id', 'payload.trigger_id', 'payload.response_url'] as const;

/** Whether a Slack form body is an interaction (`payload=`) rather than a slash command. */
export function isSlackInteraction(rawBody: string): boolean {
  return new URLSearchParams(rawBody).has('payload');
}

/** @param replyHosts hosts reply URLs may point at (CHATOPS_REPLY_HOSTS); default each platform's own. */
export function parseSlackInteraction(rawBody: string, replyHosts: ReplyHosts = DEFAULT_REPLY_HOSTS): ChatParse {
  const form = formFields(rawBody);
  if ('repeated' in form) return { ok: false, issue: { path: form.repeated, message: 'must appear only once' } };
  const extra = Object.keys(form.fields).find((name) => name !== 'payload');
  if (extra !== undefined) return { ok: false, issue: { path: extra, message: 'is not part of an interaction (its body is payload=<JSON> alone)' } };
  const json = parseJsonObject(String(form.fields.payload), 'payload');
  if (!json.ok) return json;
  // Read under `payload`, so every issue names the field as `payload.<path>`.
  const root = { payload: json.value };
  const type = readConstant(root, 'payload.type', 'block_actions');
  if (!type.ok) return type;
  const read = readStrings(root, REQUIRED);
  if (!read.ok) return read;
  const fields = read.value;
  const channel = valueAt(root, 'payload.channel.id') ?? valueAt(root, 'payload.container.channel_id');
  if (typeof channel !== 'string' || channel === '') return { ok: false, issue: { path: 'payload.channel.id', message: 'is required' } };
  const actions = valueAt(root, 'payload.actions');
  // A button press carries exactly the one button pressed.
  if (!Array.isArray(actions) || actions.length !== 1) return { ok: false, issue: { path: 'payload.actions', message: 'must hold exactly one action' } };
  const [action] = actions as unknown[];
  if (!isPlainObject(action) || action.type !== 'button') return { ok: false, issue: { path: 'payload.actions.0.type', message: 'must be "button"' } };
  const text = buttonCommandText(action.action_id, action.value, { command: 'payload.actions.0.action_id', code: 'payload.actions.0.value' });
  if (typeof text !== 'string') return { ok: false, issue: text };
  const team = fields['payload.team.id'];
  const user = fields['payload.user.id'];
  const issue =
    idIssue('payload.team.id', team) ??
    idIssue('payload.user.id', user) ??
    replyUrlIssue('payload.response_url', fields['payload.response_url'], 'slack', SLACK_REPLY_ENDPOINT, replyHosts.slack);
  if (issue) return { ok: false, issue };
  const userName = valueAt(root, 'payload.user.username');
  return {
    ok: true,
    message: {
      platform: 'slack',
      messageId: fields['payload.trigger_id'],
      userId: user,
      tenantId: team,
      userKey: userKeyFor('slack', team, user),
      displayName: typeof userName === 'string' && userName !== '' ? userName : undefined,
      text,
      channelId: channel,
      replyTo: { platform: 'slack', url: fields['payload.response_url'], fromButton: true },
    },
  };
}

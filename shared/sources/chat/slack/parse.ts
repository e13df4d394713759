/**
 * A verified Slack slash-command body (`application/x-www-form-urlencoded`, docs/sources.md, "Chat platforms") as a
 * {@link ChatMessage}. Authorizes on `team_id` + `user_id`; `user_name` is only displayed.
 */
import { DEFAULT_REPLY_HOSTS, type ReplyHosts } from '../../../runtime/config';
import { type ChatParse, idIssue, type ReplyEndpoint, replyUrlIssue, userKeyFor, withoutLeadingMentions } from '../message';
import { type JsonObject, readStrings } from '../payload';

/** Slack's `response_url`s: `https://hooks.slack.com/commands/<team>/<id>/<secret>`, or `/actions/…` for interactions. */
export const SLACK_REPLY_ENDPOINT: ReplyEndpoint = { path: /^\/(?:commands|actions)\/[^/]+\/[^/]+\/[^/]+$/, shape: '/commands/… or /actions/…' };

/** A user mention as Slack escapes it (`<@U123|alice>`, `<@U123>`), or as typed when it does not (`@alice`). */
const MENTION = /<@[A-Z0-9]+(?:\|[^>]*)?>|@[^\s@]+/;

const REQUIRED = ['team_id', 'user_id', 'channel_id', 'trigger_id', 'response_url'] as const;

/**
 * Slack escapes `&`, `<` and `>` in command text; undone so the grammar sees what the user typed.
 * `&amp;` last, so `&amp;lt;` stays the literal text `&lt;`.
 */
export function unescapeSlackText(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** Each form field once, in an object without a prototype; a repeated field is refused. */
export function formFields(rawBody: string): { fields: JsonObject } | { repeated: string } {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(rawBody)) {
    if (Object.hasOwn(fields, name)) return { repeated: name };
    fields[name] = value;
  }
  return { fields };
}

/** @param replyHosts hosts reply URLs may point at (CHATOPS_REPLY_HOSTS); default each platform's own. */
export function parseSlackCommand(rawBody: string, replyHosts: ReplyHosts = DEFAULT_REPLY_HOSTS): ChatParse {
  const form = formFields(rawBody);
  if ('repeated' in form) return { ok: false, issue: { path: form.repeated, message: 'must appear only once' } };
  const read = readStrings(form.fields, REQUIRED);
  if (!read.ok) return read;
  const fields = read.value;
  const text = form.fields.text;
  if (typeof text !== 'string') return { ok: false, issue: { path: 'text', message: 'is required' } };
  const issue =
    idIssue('team_id', fields.team_id) ??
    idIssue('user_id', fields.user_id) ??
    replyUrlIssue('response_url', fields.response_url, 'slack', SLACK_REPLY_ENDPOINT, replyHosts.slack);
  if (issue) return { ok: false, issue };
  const userName = form.fields.user_name;
  return {
    ok: true,
    message: {
      platform: 'slack',
      messageId: fields.trigger_id,
      userId: fields.user_id,
      tenantId: fields.team_id,
      userKey: userKeyFor('slack', fields.team_id, fields.user_id),
      displayName: typeof userName === 'string' && userName !== '' ? userName : undefined,
      text: withoutLeadingMentions(unescapeSlackText(text), MENTION),
      channelId: fields.channel_id,
      replyTo: { platform: 'slack', url: fields.response_url },
    },
  };
}

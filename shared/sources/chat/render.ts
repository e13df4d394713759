/**
 * A {@link Reply} as each platform's message JSON (chatops.md §1.3, §2.3, §3): Slack response body
 * (mrkdwn), DingTalk `sessionWebhook` markdown, Lark text message for the reply API.
 */
import type { Reply } from './replies';

export interface SlackReply {
  /** Only the person who ran the command sees it. */
  readonly response_type: 'ephemeral';
  readonly text: string;
}

export interface DingTalkReply {
  readonly msgtype: 'markdown';
  readonly markdown: { readonly title: string; readonly text: string };
}

export interface LarkReply {
  readonly msg_type: 'text';
  /** Lark wants the content as a JSON string. */
  readonly content: string;
}

/** Slack requires `&`, `<`, `>` escaped; unescaped, echoed text like `<!channel>` would notify everyone. */
function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Lark text messages turn `<at user_id="all"></at>` into a mention of everyone and have no escape,
 * so `<` in echoed text becomes a full-width `＜`.
 */
function neutraliseLarkTags(text: string): string {
  return text.replaceAll('<', '\uFF1C');
}

export function renderSlack(reply: Reply): SlackReply {
  return { response_type: 'ephemeral', text: [`*${escapeSlack(reply.title)}*`, ...reply.lines.map(escapeSlack)].join('\n') };
}

export function renderDingTalk(reply: Reply): DingTalkReply {
  // DingTalk markdown needs a blank line to break a line.
  return { msgtype: 'markdown', markdown: { title: reply.title, text: [`#### ${reply.title}`, ...reply.lines].join('\n\n') } };
}

export function renderLark(reply: Reply): LarkReply {
  return { msg_type: 'text', content: JSON.stringify({ text: neutraliseLarkTags([reply.title, ...reply.lines].join('\n')) }) };
}

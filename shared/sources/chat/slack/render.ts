/** A {@link Reply} as a Slack message: the slash command's answer body, or a `response_url` post (mrkdwn). */
import type { Reply } from '../replies';

export interface SlackReply {
  /** `ephemeral`: only the person who ran the command sees it; `in_channel`: a request for an approver. */
  readonly response_type: 'ephemeral' | 'in_channel';
  readonly text: string;
}

/** Slack requires `&`, `<`, `>` escaped; unescaped, echoed text like `<!channel>` would notify everyone. */
function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function renderSlack(reply: Reply): SlackReply {
  return {
    response_type: reply.visibility === 'channel' ? 'in_channel' : 'ephemeral',
    text: [`*${escapeSlack(reply.title)}*`, ...reply.lines.map(escapeSlack)].join('\n'),
  };
}

/** A {@link Reply} as a Slack message: the slash command's answer body, or a `response_url` post (mrkdwn). */
import type { Reply } from '../replies';

export interface SlackReply {
  /** Only the person who ran the command sees it. */
  readonly response_type: 'ephemeral';
  readonly text: string;
}

/** Slack requires `&`, `<`, `>` escaped; unescaped, echoed text like `<!channel>` would notify everyone. */
function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function renderSlack(reply: Reply): SlackReply {
  return { response_type: 'ephemeral', text: [`*${escapeSlack(reply.title)}*`, ...reply.lines.map(escapeSlack)].join('\n') };
}

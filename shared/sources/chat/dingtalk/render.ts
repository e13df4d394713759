/** A {@link Reply} as a DingTalk `sessionWebhook` markdown message. */
import type { Reply } from '../replies';

export interface DingTalkReply {
  readonly msgtype: 'markdown';
  readonly markdown: { readonly title: string; readonly text: string };
}

export function renderDingTalk(reply: Reply): DingTalkReply {
  // DingTalk markdown needs a blank line to break a line.
  return { msgtype: 'markdown', markdown: { title: reply.title, text: [`#### ${reply.title}`, ...reply.lines].join('\n\n') } };
}

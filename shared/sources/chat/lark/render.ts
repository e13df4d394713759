/** A {@link Reply} as a Lark text message for the reply API. */
import type { Reply } from '../replies';

export interface LarkReply {
  readonly msg_type: 'text';
  /** Lark wants the content as a JSON string. */
  readonly content: string;
}

/**
 * Lark text messages turn `<at user_id="all"></at>` into a mention of everyone and have no escape,
 * so `<` in echoed text becomes a full-width `＜`.
 */
function neutraliseLarkTags(text: string): string {
  return text.replaceAll('<', '\uFF1C');
}

export function renderLark(reply: Reply): LarkReply {
  return { msg_type: 'text', content: JSON.stringify({ text: neutraliseLarkTags([reply.title, ...reply.lines].join('\n')) }) };
}

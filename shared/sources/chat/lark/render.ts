/**
 * A {@link Reply} for Lark: a text message for the reply API, or — when it has buttons — an
 * interactive card (card JSON 1.0, an `action` module whose buttons carry `{command, code}`,
 * docs/buttons.md §3.1); and the answer to a card callback: a toast, with the updated card when
 * the press settled the request.
 */
import type { Reply, ReplyAction } from '../replies';

export type LarkReply =
  /** Lark wants the content as a JSON string, a card's too. */
  { readonly msg_type: 'text'; readonly content: string } | { readonly msg_type: 'interactive'; readonly content: string };

/** The synchronous answer to `card.action.trigger` (within 3 s): a toast, and the card's new content if it changes. */
export interface LarkCardActionAnswer {
  readonly toast: { readonly type: 'success' | 'error'; readonly content: string };
  readonly card?: { readonly type: 'raw'; readonly data: LarkCard };
}

interface LarkCard {
  /** A shared card: an update shows to everyone who sees it, as the buttons did. */
  readonly config: { readonly update_multi: true };
  readonly header: { readonly title: PlainText; readonly template: 'blue' };
  readonly elements: readonly ({ readonly tag: 'div'; readonly text: PlainText } | { readonly tag: 'action'; readonly actions: readonly LarkButton[] })[];
}

interface PlainText {
  readonly tag: 'plain_text';
  readonly content: string;
}

interface LarkButton {
  readonly tag: 'button';
  readonly text: PlainText;
  readonly type: 'default' | 'primary' | 'danger';
  /** An object, as Lark's SDKs require; read back by card-action.ts. */
  readonly value: { readonly command: ReplyAction['command']; readonly code: string };
}

/** Lark refuses a card message over 30 KB (docs/buttons.md §3.1); a reply that large goes as text. */
const MAX_CARD_BYTES = 30_000;
/** A toast is one short line. */
const MAX_TOAST_CHARS = 300;

/**
 * Lark text messages turn `<at user_id="all"></at>` into a mention of everyone and have no escape,
 * so `<` in echoed text becomes a full-width `＜`.
 */
function neutraliseLarkTags(text: string): string {
  return text.replaceAll('<', '\uFF1C');
}

const plain = (text: string): PlainText => ({ tag: 'plain_text', content: neutraliseLarkTags(text) });

function larkCard(reply: Reply): LarkCard {
  const buttons = (reply.actions ?? []).map(
    (action): LarkButton => ({
      tag: 'button',
      text: plain(action.label),
      type: action.style ?? 'default',
      value: { command: action.command, code: action.code },
    }),
  );
  return {
    config: { update_multi: true },
    header: { title: plain(reply.title), template: 'blue' },
    elements: [{ tag: 'div', text: plain(reply.lines.join('\n')) }, ...(buttons.length > 0 ? [{ tag: 'action' as const, actions: buttons }] : [])],
  };
}

export function renderLark(reply: Reply): LarkReply {
  if ((reply.actions ?? []).length > 0) {
    const content = JSON.stringify(larkCard(reply));
    if (Buffer.byteLength(content) <= MAX_CARD_BYTES) return { msg_type: 'interactive', content };
  }
  return { msg_type: 'text', content: JSON.stringify({ text: neutraliseLarkTags([reply.title, ...reply.lines].join('\n')) }) };
}

/**
 * The answer to a card button press. A press that settles the request replaces the card (buttons and
 * all) for everyone; any other answer (a refusal) is a toast to the presser alone and leaves the card
 * as it was, so nobody can take the buttons off someone else's preview by pressing them.
 */
export function renderLarkCardAction(reply: Reply): LarkCardActionAnswer {
  const words = reply.settles || reply.lines.length === 0 ? reply.title : `${reply.title}: ${reply.lines.join(' ')}`;
  const content = neutraliseLarkTags(words.length > MAX_TOAST_CHARS ? `${words.slice(0, MAX_TOAST_CHARS - 1)}…` : words);
  const toast = { type: reply.settles ? 'success' : 'error', content } as const;
  return reply.settles ? { toast, card: { type: 'raw', data: larkCard({ ...reply, actions: undefined }) } } : { toast };
}

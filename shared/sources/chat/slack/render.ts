/**
 * A {@link Reply} as a Slack message: the slash command's answer body, or a `response_url` post
 * (mrkdwn). A reply with buttons also carries Block Kit `blocks` (a section with the text, an actions
 * block with the buttons); `text` stays, as the notification and fallback text.
 */
import { MAX_BUTTON_VALUE } from '../message';
import type { Reply, ReplyAction } from '../replies';

export interface SlackReply {
  /** `ephemeral`: only the person who ran the command (or pressed the button) sees it; `in_channel`: a request for an approver. */
  readonly response_type?: 'ephemeral' | 'in_channel';
  /** Answering a button press: whether this replaces the message the button was on (else it is a new message). */
  readonly replace_original?: boolean;
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
}

type SlackBlock =
  | { readonly type: 'section'; readonly text: { readonly type: 'mrkdwn'; readonly text: string } }
  | { readonly type: 'actions'; readonly elements: readonly SlackButton[] };

interface SlackButton {
  readonly type: 'button';
  /** The command the press stands for, read back from the `block_actions` payload (slack/interaction.ts). */
  readonly action_id: ReplyAction['command'];
  readonly text: { readonly type: 'plain_text'; readonly text: string };
  /** The code the command takes. */
  readonly value: string;
  readonly style?: 'primary' | 'danger';
}

/** Block Kit's limits (docs/buttons.md §1.2; section text: Slack's section block reference). */
const LIMITS = { sectionText: 3000, buttonValue: MAX_BUTTON_VALUE, buttonText: 75 } as const;

/** Slack requires `&`, `<`, `>` escaped; unescaped, echoed text like `<!channel>` would notify everyone. */
function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * The blocks of a reply with buttons, or undefined when it has none or one would break a limit: the
 * text already says what to type, so the reply then goes without buttons rather than not at all.
 */
function buttonBlocks(reply: Reply, text: string): SlackBlock[] | undefined {
  const actions = reply.actions ?? [];
  if (actions.length === 0 || text.length > LIMITS.sectionText) return undefined;
  if (actions.some((action) => action.code.length > LIMITS.buttonValue || action.label.length > LIMITS.buttonText)) return undefined;
  const buttons = actions.map(
    (action): SlackButton => ({
      type: 'button',
      action_id: action.command,
      text: { type: 'plain_text', text: action.label },
      value: action.code,
      ...(action.style ? { style: action.style } : {}),
    }),
  );
  return [
    { type: 'section', text: { type: 'mrkdwn', text } },
    { type: 'actions', elements: buttons },
  ];
}

/**
 * @param answering `command`: the answer to a slash command (or a post to its `response_url`);
 * `button`: a post to a button press's `response_url`, which replaces the message the button was on
 * when the reply settles the request, and is otherwise a new message to the presser alone.
 */
export function renderSlack(reply: Reply, answering: 'command' | 'button' = 'command'): SlackReply {
  const text = [`*${escapeSlack(reply.title)}*`, ...reply.lines.map(escapeSlack)].join('\n');
  const blocks = buttonBlocks(reply, text);
  const content = blocks ? { text, blocks } : { text };
  if (answering === 'button' && reply.settles) return { replace_original: true, ...content };
  const response_type = reply.visibility === 'channel' ? 'in_channel' : 'ephemeral';
  return answering === 'button' ? { response_type, replace_original: false, ...content } : { response_type, ...content };
}

import { describe, expect, it } from 'vitest';
import { renderDingTalk } from '../../shared/sources/chat/dingtalk/render';
import { renderLark, renderLarkCardAction } from '../../shared/sources/chat/lark/render';
import type { Reply } from '../../shared/sources/chat/replies';
import { renderSlack } from '../../shared/sources/chat/slack/render';

const REPLY: Reply = {
  title: 'Bandwidth plan preview',
  lines: ['100 Mbit/s between China and Europe, pay-as-you-go', 'Reply "confirm Abc123" within 10 minutes to buy.'],
};
const ECHO: Reply = { title: 'Not a valid bandwidth plan', lines: ['Description: <!channel> & <at user_id="all"></at>'] };

describe('renderSlack', () => {
  it.each([
    [REPLY, '*Bandwidth plan preview*\n100 Mbit/s between China and Europe, pay-as-you-go\nReply "confirm Abc123" within 10 minutes to buy.'],
    [ECHO, '*Not a valid bandwidth plan*\nDescription: &lt;!channel&gt; &amp; &lt;at user_id="all"&gt;&lt;/at&gt;'],
  ])('%#', (reply, text) => {
    expect(renderSlack(reply)).toEqual({ response_type: 'ephemeral', text });
  });
});

describe('renderDingTalk', () => {
  it('is markdown with a heading and a blank line between lines', () => {
    expect(renderDingTalk(REPLY)).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: 'Bandwidth plan preview',
        text: '#### Bandwidth plan preview\n\n100 Mbit/s between China and Europe, pay-as-you-go\n\nReply "confirm Abc123" within 10 minutes to buy.',
      },
    });
  });
});

describe('renderLark', () => {
  it.each([
    [REPLY, 'Bandwidth plan preview\n100 Mbit/s between China and Europe, pay-as-you-go\nReply "confirm Abc123" within 10 minutes to buy.'],
    [ECHO, 'Not a valid bandwidth plan\nDescription: \uFF1C!channel> & \uFF1Cat user_id="all">\uFF1C/at>'],
  ])('%#', (reply, text) => {
    const rendered = renderLark(reply);
    expect(rendered).toEqual({ msg_type: 'text', content: JSON.stringify({ text }) });
    expect(JSON.parse(rendered.content)).toEqual({ text });
  });
});

const PREVIEW: Reply = {
  title: 'Bandwidth plan preview',
  lines: ['100 Mbit/s between China and Europe, pay-as-you-go', 'Reply "confirm Abc123" within 10 minutes to buy.'],
  actions: [
    { command: 'confirm', code: 'Abc123', label: 'Confirm', style: 'primary' },
    { command: 'cancel', code: 'Abc123', label: 'Cancel' },
  ],
};
const PREVIEW_TEXT = '*Bandwidth plan preview*\n100 Mbit/s between China and Europe, pay-as-you-go\nReply "confirm Abc123" within 10 minutes to buy.';
const CONFIRMED: Reply = { title: 'Confirmed: buying', lines: ['100 Mbit/s between China and Europe'], settles: true };
const REFUSED: Reply = { title: 'Not confirmed', lines: ['That confirmation code was issued to someone else.', 'Nothing was bought.'] };

describe('renderSlack: buttons', () => {
  it('adds Block Kit blocks — the text as a section, a button per action (action_id: the command, value: the code) — and keeps the text', () => {
    expect(renderSlack(PREVIEW)).toEqual({
      response_type: 'ephemeral',
      text: PREVIEW_TEXT,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: PREVIEW_TEXT } },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'confirm', text: { type: 'plain_text', text: 'Confirm' }, value: 'Abc123', style: 'primary' },
            { type: 'button', action_id: 'cancel', text: { type: 'plain_text', text: 'Cancel' }, value: 'Abc123' },
          ],
        },
      ],
    });
  });

  it('shows an approval request to the channel, with its buttons', () => {
    const approval: Reply = { ...PREVIEW, visibility: 'channel', actions: [{ command: 'approve', code: 'Xyz', label: 'Approve', style: 'primary' }] };
    expect(renderSlack(approval)).toMatchObject({ response_type: 'in_channel', blocks: [{ type: 'section' }, { type: 'actions' }] });
  });

  it.each([
    ['a code longer than a button value may be (2000)', { ...PREVIEW, actions: [{ command: 'confirm', code: 'A'.repeat(2001), label: 'Confirm' }] }],
    ['text longer than a section may hold (3000)', { ...PREVIEW, lines: ['x'.repeat(3000)] }],
  ] as const)('goes without buttons, the text saying what to type, for %s', (_name, reply) => {
    const rendered = renderSlack(reply);
    expect(rendered.blocks).toBeUndefined();
    expect(rendered.text).toBe(renderSlack({ title: reply.title, lines: reply.lines }).text);
  });

  it.each([
    [
      'a reply that settles the request replaces the message the button was on',
      CONFIRMED,
      { replace_original: true, text: '*Confirmed: buying*\n100 Mbit/s between China and Europe' },
    ],
    [
      'any other reply is a new message to the presser alone, the buttons left as they were',
      REFUSED,
      {
        response_type: 'ephemeral',
        replace_original: false,
        text: '*Not confirmed*\nThat confirmation code was issued to someone else.\nNothing was bought.',
      },
    ],
  ])('answering a button press: %s', (_name, reply, expected) => {
    expect(renderSlack(reply, 'button')).toEqual(expected);
  });

  it('answering a slash command, a settling reply is a plain message as before', () => {
    expect(renderSlack(CONFIRMED)).toEqual({ response_type: 'ephemeral', text: '*Confirmed: buying*\n100 Mbit/s between China and Europe' });
  });
});

describe('renderLark: cards', () => {
  it('sends a reply with buttons as an interactive card: card JSON 1.0 with an action module, each value {command, code}', () => {
    const rendered = renderLark(PREVIEW);
    expect(rendered.msg_type).toBe('interactive');
    expect(JSON.parse(rendered.content)).toEqual({
      config: { update_multi: true },
      header: { title: { tag: 'plain_text', content: 'Bandwidth plan preview' }, template: 'blue' },
      elements: [
        {
          tag: 'div',
          text: { tag: 'plain_text', content: '100 Mbit/s between China and Europe, pay-as-you-go\nReply "confirm Abc123" within 10 minutes to buy.' },
        },
        {
          tag: 'action',
          actions: [
            { tag: 'button', text: { tag: 'plain_text', content: 'Confirm' }, type: 'primary', value: { command: 'confirm', code: 'Abc123' } },
            { tag: 'button', text: { tag: 'plain_text', content: 'Cancel' }, type: 'default', value: { command: 'cancel', code: 'Abc123' } },
          ],
        },
      ],
    });
  });

  it('neutralises Lark tags in a card too', () => {
    expect(renderLark({ ...ECHO, actions: PREVIEW.actions }).content).not.toContain('<at');
  });

  it('sends a card over 30 KB as text (the typed command is in it)', () => {
    expect(renderLark({ ...PREVIEW, lines: ['x'.repeat(30_000)] }).msg_type).toBe('text');
  });
});

describe('renderLarkCardAction', () => {
  it('answers a press that settles the request with a toast and the card, without its buttons, for everyone', () => {
    expect(renderLarkCardAction(CONFIRMED)).toEqual({
      toast: { type: 'success', content: 'Confirmed: buying' },
      card: {
        type: 'raw',
        data: {
          config: { update_multi: true },
          header: { title: { tag: 'plain_text', content: 'Confirmed: buying' }, template: 'blue' },
          elements: [{ tag: 'div', text: { tag: 'plain_text', content: '100 Mbit/s between China and Europe' } }],
        },
      },
    });
  });

  it('answers any other press with a toast to the presser alone, the card left as it was', () => {
    expect(renderLarkCardAction(REFUSED)).toEqual({
      toast: { type: 'error', content: 'Not confirmed: That confirmation code was issued to someone else. Nothing was bought.' },
    });
  });
});

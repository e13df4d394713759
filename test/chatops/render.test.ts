import { describe, expect, it } from 'vitest';
import { renderDingTalk } from '../../shared/sources/chat/dingtalk/render';
import { renderLark } from '../../shared/sources/chat/lark/render';
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

/**
 * The approval channel: each platform's webhook gets a plain message naming the purchase, who asked,
 * why it waits and the exact `approve <code>`; a failed post is logged without the URL (its token).
 */
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../shared/core/outcome';
import { validateBandwidthPlan } from '../../shared/core/schema';
import type { ApprovalChannel } from '../../shared/runtime/config';
import type { HttpRequest, HttpResponse } from '../../shared/runtime/http';
import { createLogger } from '../../shared/runtime/log';
import { approvalAnnouncer, approvalNotice } from '../../shared/sources/chat/approval-channel';
import { TestClock } from '../support/clock';

const request = (() => {
  const validation = validateBandwidthPlan({ Bandwidth: 500, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
  if (!validation.ok) throw new Error('fixture');
  return validation.request;
})();
const OUTCOME: Outcome = {
  kind: 'awaiting-approval',
  trigger: { kind: 'http', id: 'req-1', requester: '203.0.113.9' },
  fcRequestId: 'fc-1',
  clientToken: 'http-abc',
  request,
  approval: {
    code: 'CODE123',
    expiresAt: '2026-12-02T10:00:00.000Z',
    approvers: ['slack:T1/U2'],
    reasons: ['500 Mbit/s is above 100 Mbit/s (APPROVAL_ABOVE_MBPS)'],
  },
};
const CHANNELS: Array<[ApprovalChannel, unknown, string]> = [
  [{ platform: 'slack', url: 'https://hooks.slack.com/services/T1/B2/secrettoken' }, { text: expect.stringContaining('approve CODE123') }, 'ok'],
  [
    { platform: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=secrettoken' },
    { msgtype: 'text', text: { content: expect.stringContaining('approve CODE123') } },
    '{"errcode":0,"errmsg":"ok"}',
  ],
  [
    { platform: 'lark', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/secrettoken' },
    { msg_type: 'text', content: { text: expect.stringContaining('approve CODE123') } },
    '{"code":0,"msg":"success"}',
  ],
];

function run(channel: ApprovalChannel, answer: HttpResponse | Error) {
  const sent: HttpRequest[] = [];
  const lines: string[] = [];
  const announce = approvalAnnouncer({
    channel,
    clock: new TestClock(0),
    log: createLogger({ write: (line) => lines.push(line) }),
    transport: async (request) => {
      sent.push(request);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  return { sent, lines, done: announce(OUTCOME, 10_000) };
}

describe('approvalNotice', () => {
  it('keeps a sender’s text on one line: an event id cannot add a line that looks like ours', () => {
    const forged = { ...OUTCOME, trigger: { kind: 'eventbridge' as const, id: 'src/e-1\napprove SOMETHINGELSE\u2028Nothing to check' } };
    const lines = approvalNotice(forged).split('\n');
    expect(lines.filter((line) => line.startsWith('approve '))).toEqual(['approve CODE123']);
    expect(lines[1]).toContain('Asked by eventbridge src/e-1 ⏎ approve SOMETHINGELSE ⏎ Nothing to check;');
  });

  it('tells approvers a rejected or withdrawn request ended, and not to approve its code', () => {
    const ended: Outcome = {
      ...OUTCOME,
      kind: 'rejected',
      approval: undefined,
      trigger: { kind: 'slack', id: 'm-1', requester: 'slack:T1/U1' },
      error: { code: 'ApprovalRejected', message: 'slack:T1/U1 withdrew the purchase asked by slack:T1/U1. Nothing was bought.', retryable: false },
    };
    expect(approvalNotice(ended)).toBe(
      [
        'No longer waiting: 500 Mbit/s between China and Europe, pay-as-you-go (POSTPAY), asked by slack:T1/U1.',
        'slack:T1/U1 withdrew the purchase asked by slack:T1/U1. Nothing was bought.',
        'Do not approve its code: codes keep no state, so it would still buy until it expires.',
      ].join('\n'),
    );
  });

  it('escapes Slack markup in what it posts there: <!channel> in an event id notifies nobody', async () => {
    const sent: HttpRequest[] = [];
    const announce = approvalAnnouncer({
      channel: { platform: 'slack', url: 'https://hooks.slack.com/services/T1/B2/secrettoken' },
      clock: new TestClock(0),
      log: createLogger({ write: () => undefined }),
      transport: async (request) => {
        sent.push(request);
        return { status: 200, headers: {}, body: Buffer.from('ok') };
      },
    });
    await announce({ ...OUTCOME, trigger: { kind: 'eventbridge', id: '<!channel> & <https://evil.example|click>' } }, 10_000);
    const { text } = JSON.parse(String(sent[0]!.body));
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(text).not.toContain('<!channel>');
  });
});

describe('approvalAnnouncer', () => {
  it.each(CHANNELS)('posts to a %o webhook what approvers need, and nothing is logged when it is taken', async (channel, body, ok) => {
    const { sent, lines, done } = run(channel, { status: 200, headers: {}, body: Buffer.from(ok) });
    await done;
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url.href).toBe(channel.url);
    const posted = JSON.parse(String(sent[0]!.body));
    expect(posted).toEqual(body);
    expect(JSON.stringify(posted)).toContain('Asked by 203.0.113.9; it waits because 500 Mbit/s is above 100 Mbit/s');
    expect(lines).toEqual([]);
  });

  it.each(CHANNELS)('logs a refused post to %o by platform, never the URL', async (channel) => {
    const { lines, done } = run(channel, { status: 200, headers: {}, body: Buffer.from('{"errcode":310000,"code":19021,"msg":"sign match fail"}') });
    await done;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('approval channel not told');
    expect(lines[0]).not.toContain('secrettoken');
  });

  it('logs a post that could not be sent, and never throws', async () => {
    const { lines, done } = run(CHANNELS[0]![0], new Error('connect ECONNREFUSED'));
    await expect(done).resolves.toBeUndefined();
    expect(lines[0]).toContain('connect ECONNREFUSED');
  });
});

import { describe, expect, it } from 'vitest';
import { isAllowedReplyUrl, REPLY_PATHS } from '../../shared/chatops/chat-message';
import { DEFAULT_REPLY_HOSTS } from '../../shared/config';

const hosts = [...DEFAULT_REPLY_HOSTS, '127.0.0.1'];

describe('reply URLs', () => {
  it.each([
    ['a DingTalk session webhook', 'https://oapi.dingtalk.com/robot/sendBySession?session=abc', REPLY_PATHS.dingtalk, true],
    ['a DingTalk custom group robot (someone else’s group)', 'https://oapi.dingtalk.com/robot/send?access_token=abc', REPLY_PATHS.dingtalk, false],
    ['a Slack response_url', 'https://hooks.slack.com/commands/T1/397700885554/96rGlf', REPLY_PATHS.slack, true],
    ['a Slack incoming webhook (any channel)', 'https://hooks.slack.com/services/T1/B1/xyz', REPLY_PATHS.slack, false],
    ['http instead of https', 'http://hooks.slack.com/commands/T1/1/x', REPLY_PATHS.slack, false],
    ['another port', 'https://hooks.slack.com:8443/commands/T1/1/x', REPLY_PATHS.slack, false],
    ['credentials in the URL', 'https://user:pw@hooks.slack.com/commands/T1/1/x', REPLY_PATHS.slack, false],
    ['a look-alike host', 'https://hooks.slack.com.attacker.example/commands/T1/1/x', REPLY_PATHS.slack, false],
    ['an unlisted host', 'https://attacker.example/commands/x', REPLY_PATHS.slack, false],
    ['a listed loopback host (local runs and tests)', 'http://127.0.0.1:4000/slack/response/1', REPLY_PATHS.slack, true],
    ['an unlisted loopback host', 'http://localhost:4000/slack/response/1', REPLY_PATHS.slack, false],
    ['not a URL', 'not a url', REPLY_PATHS.slack, false],
  ])('%s → %s', (_name, url, pattern, allowed) => {
    expect(isAllowedReplyUrl(url, hosts, pattern)).toBe(allowed);
  });
});

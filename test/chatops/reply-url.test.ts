import { describe, expect, it } from 'vitest';
import type { ChatPlatform } from '../../shared/core/outcome';
import { DEFAULT_REPLY_HOSTS, type ReplyHosts } from '../../shared/runtime/config';
import { DINGTALK_REPLY_ENDPOINT } from '../../shared/sources/chat/dingtalk/parse';
import { LARK_REPLY_ENDPOINT } from '../../shared/sources/chat/lark/adapter';
import { isAllowedReplyUrl } from '../../shared/sources/chat/message';
import { SLACK_REPLY_ENDPOINT } from '../../shared/sources/chat/slack/parse';

const ENDPOINTS = { slack: SLACK_REPLY_ENDPOINT, dingtalk: DINGTALK_REPLY_ENDPOINT, lark: LARK_REPLY_ENDPOINT };

/** The defaults, plus a loopback host listed for every platform (as local runs and tests do). */
const withLoopback: ReplyHosts = {
  slack: [...DEFAULT_REPLY_HOSTS.slack, '127.0.0.1'],
  dingtalk: [...DEFAULT_REPLY_HOSTS.dingtalk, '127.0.0.1'],
  lark: [...DEFAULT_REPLY_HOSTS.lark, '127.0.0.1'],
};

describe('reply URLs: each platform replies only to its own hosts and reply paths', () => {
  it.each<[string, ChatPlatform, string, ReplyHosts, boolean]>([
    ['a DingTalk session webhook', 'dingtalk', 'https://oapi.dingtalk.com/robot/sendBySession?session=abc', DEFAULT_REPLY_HOSTS, true],
    ['a DingTalk custom group robot (someone else’s group)', 'dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=abc', DEFAULT_REPLY_HOSTS, false],
    ['a DingTalk session webhook on Slack’s host', 'dingtalk', 'https://hooks.slack.com/robot/sendBySession?session=abc', DEFAULT_REPLY_HOSTS, false],
    ['a DingTalk session webhook on Lark’s host', 'dingtalk', 'https://open.feishu.cn/robot/sendBySession?session=abc', DEFAULT_REPLY_HOSTS, false],
    ['a Slack response_url', 'slack', 'https://hooks.slack.com/commands/T1/397700885554/96rGlf', DEFAULT_REPLY_HOSTS, true],
    ['a Slack interaction response_url', 'slack', 'https://hooks.slack.com/actions/T1/397700885554/96rGlf', DEFAULT_REPLY_HOSTS, true],
    ['a Slack response_url on DingTalk’s host', 'slack', 'https://oapi.dingtalk.com/commands/T1/397700885554/96rGlf', DEFAULT_REPLY_HOSTS, false],
    ['a Slack incoming webhook (any channel)', 'slack', 'https://hooks.slack.com/services/T1/B1/xyz', DEFAULT_REPLY_HOSTS, false],
    ['a Slack path with a segment missing', 'slack', 'https://hooks.slack.com/commands/T1/397700885554', DEFAULT_REPLY_HOSTS, false],
    ['http instead of https', 'slack', 'http://hooks.slack.com/commands/T1/1/x', DEFAULT_REPLY_HOSTS, false],
    ['another port', 'slack', 'https://hooks.slack.com:8443/commands/T1/1/x', DEFAULT_REPLY_HOSTS, false],
    ['credentials in the URL', 'slack', 'https://user:pw@hooks.slack.com/commands/T1/1/x', DEFAULT_REPLY_HOSTS, false],
    ['a look-alike host', 'slack', 'https://hooks.slack.com.attacker.example/commands/T1/1/x', DEFAULT_REPLY_HOSTS, false],
    ['an unlisted host', 'slack', 'https://attacker.example/commands/T1/1/x', DEFAULT_REPLY_HOSTS, false],
    ['a Lark reply', 'lark', 'https://open.feishu.cn/open-apis/im/v1/messages/om_1/reply', DEFAULT_REPLY_HOSTS, true],
    ['a Lark tenant token request abroad', 'lark', 'https://open.larksuite.com/open-apis/auth/v3/tenant_access_token/internal', DEFAULT_REPLY_HOSTS, true],
    ['another Lark API', 'lark', 'https://open.feishu.cn/open-apis/im/v1/messages', DEFAULT_REPLY_HOSTS, false],
    ['a listed loopback host on Slack’s path', 'slack', 'http://127.0.0.1:4000/commands/T1/1/x', withLoopback, true],
    ['a listed loopback host on DingTalk’s path', 'dingtalk', 'http://127.0.0.1:4000/robot/sendBySession?session=1', withLoopback, true],
    ['a listed loopback host on another path', 'slack', 'http://127.0.0.1:4000/slack/response/1', withLoopback, false],
    ['a listed loopback host with a DingTalk path for Slack', 'slack', 'http://127.0.0.1:4000/robot/sendBySession?session=1', withLoopback, false],
    ['a loopback host not listed', 'slack', 'http://localhost:4000/commands/T1/1/x', withLoopback, false],
    [
      'a loopback host listed for another platform only',
      'slack',
      'http://127.0.0.1:4000/commands/T1/1/x',
      { ...DEFAULT_REPLY_HOSTS, dingtalk: ['127.0.0.1'] },
      false,
    ],
    ['not a URL', 'slack', 'not a url', DEFAULT_REPLY_HOSTS, false],
  ])('%s', (_name, platform, url, hosts, allowed) => {
    expect(isAllowedReplyUrl(url, ENDPOINTS[platform], hosts[platform])).toBe(allowed);
  });
});

/**
 * Slack (slash commands): v0 signature, the form body, the reply as the command's answer body or a
 * post to `response_url`.
 */
import { ProductError } from '../../../core/errors';
import type { HttpResponse } from '../../../runtime/http';
import type { ChatPlatformAdapter } from '../platform';
import { parseSlackCommand, SLACK_REPLY_ENDPOINT } from './parse';
import { renderSlack } from './render';
import { verifySlackRequest } from './verify';

/** Slack answers 2xx when it took the reply; 429 and 5xx are worth another try. */
function slackAccepted(response: HttpResponse): ProductError | undefined {
  if (response.status >= 200 && response.status < 300) return undefined;
  const retryable = response.status === 429 || response.status >= 500;
  return new ProductError('ReplyFailed', `Slack answered HTTP ${response.status}: ${response.body.toString('utf8').slice(0, 100)}`, { retryable });
}

export const slackPlatform: ChatPlatformAdapter = {
  name: 'slack',
  replyEndpoint: SLACK_REPLY_ENDPOINT,
  ignoresNonCommands: false,
  open(request, config, now) {
    const verification = verifySlackRequest({ headers: request.headers, rawBody: request.rawBody, now, signingSecrets: config.slackSigningSecrets });
    if (!verification.ok) return { refused: verification.reason };
    return { parsed: parseSlackCommand(request.rawBody.toString('utf8'), config.replyHosts) };
  },
  // Slack shows the slash command's answer body to the user: no post needed.
  answerBody: renderSlack,
  send: (target, reply, poster, deadline) =>
    poster.post('slack', SLACK_REPLY_ENDPOINT, target.url ?? '', renderSlack(reply), { deadline, check: slackAccepted }),
};

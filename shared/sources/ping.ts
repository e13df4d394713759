/**
 * The post-deploy check's event (`npm run smoke`): `{"ping": {}}` answers which build runs and a summary
 * of its configuration — names, counts and switches, never a secret or an id — and, with
 * `{"ping": {"publish": true}}`, publishes a `cen.bandwidthplan.test` event (MessageTag `test`) to
 * prove the role may publish. It never buys. It arrives only as an invocation event: a request to the
 * HTTP trigger always reaches the function wrapped as an HTTP event, which is served as HTTP.
 */
import { CHAT_PLATFORMS, type ChatPlatform } from '../core/outcome';
import { BUILD } from '../runtime/build-info';
import type { Config } from '../runtime/config';
import type { Credentials } from '../runtime/credentials';
import type { EventSource, InvocationScope } from './dispatch';
import { type PingEvent, pingShape } from './shapes';

/** What the configuration switches on, in words and counts: nothing in it is secret. */
export function configurationSummary(config: Config): Record<string, unknown> {
  const { chatops } = config;
  const configured = {
    slack: chatops.slackSigningSecrets.length > 0,
    dingtalk: chatops.dingtalkAppSecret !== undefined,
    lark: chatops.larkEncryptKey !== undefined,
  } satisfies Record<ChatPlatform, boolean>;
  return {
    notifications: config.notifyTopic ? `topic ${config.notifyTopic}` : 'off (NOTIFY_TOPIC is not set)',
    httpApi: config.webhookSecrets.length > 0 ? `on (${config.webhookSecrets.length} WEBHOOK_SECRET)` : 'off (WEBHOOK_SECRET is not set)',
    chatPlatforms: CHAT_PLATFORMS.filter((platform) => configured[platform]),
    chatAllowedUsers: chatops.allowedUsers.length,
    chatBuying: chatops.confirmSecrets.length > 0 ? 'on' : 'off (CHATOPS_CONFIRM_SECRET is not set)',
    chatJobsRunIn: chatops.jobFunction ?? 'this function',
    guardrails: config.guardrails,
    billingDefaults: config.billingDefaults,
    waitSeconds: config.waitSeconds,
  };
}

export const pingSource: EventSource<PingEvent> = {
  ...pingShape,
  async run(event, scope: InvocationScope) {
    const answer = { pong: true, function: scope.functionName, build: BUILD, node: process.version };
    let config: Config;
    try {
      config = scope.config();
    } catch (error) {
      // Misconfigured: say so (variable names only), which is what the check is for.
      return { ...answer, configurationError: error instanceof Error ? error.message : String(error) };
    }
    if (!event.ping.publish) return { ...answer, configuration: configurationSummary(config) };
    const { invocation } = scope;
    let credentials: Credentials;
    try {
      credentials = invocation.credentials();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ...answer, configuration: configurationSummary(config), published: { delivered: false, error: { code: 'ConfigurationError', message } } };
    }
    const published = await scope.pipeline().notifier.notifyTest({ credentials, deadline: invocation.deadline, fcRequestId: invocation.fcRequestId });
    return { ...answer, configuration: configurationSummary(config), published };
  },
};

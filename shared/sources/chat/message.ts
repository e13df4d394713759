/**
 * The one shape a verified chat command takes, whichever platform sent it (chatops.md §1.2, §2.1,
 * §3.2), and the identity rules every parser applies.
 */
import type { Issue } from '../../core/errors';
import type { ChatPlatform } from '../../core/outcome';

/** The platforms are the HTTP routes' (`POST /chatops/{platform}`): one list. */
export type Platform = ChatPlatform;

/** Where and how the reply goes. */
export type ReplyTarget =
  /** POST the reply JSON to `responseUrl` (up to 5 times within 30 minutes). */
  | { readonly platform: 'slack'; readonly responseUrl: string }
  /** POST the reply JSON to `sessionWebhook` before `expiresAt` (ms since the epoch). */
  | { readonly platform: 'dingtalk'; readonly sessionWebhook: string; readonly expiresAt: number }
  /** Reply to `messageId` through the Lark IM API. */
  | { readonly platform: 'lark'; readonly messageId: string };

export interface ChatMessage {
  readonly platform: Platform;
  /** The platform's id for this delivery, for dedupe: Slack `trigger_id`, DingTalk `msgId`, Lark `header.event_id`. */
  readonly messageId: string;
  /** Immutable user id: Slack `user_id`, DingTalk `senderStaffId`, Lark `open_id`. */
  readonly userId: string;
  /** The workspace, corporation or tenant the user id belongs to: Slack `team_id`, DingTalk `senderCorpId`, Lark `tenant_key`. */
  readonly tenantId: string;
  /**
   * What the allow-list matches and the confirmation code binds: `<platform>:<tenantId>/<userId>`,
   * e.g. `slack:T012AB3C4/U012AB3CD`. The tenant is part of it because user ids are only unique
   * within one (DingTalk staff ids are chosen by each corporation's admin).
   */
  readonly userKey: string;
  /** For replies only; never for authorization (names can be changed or spoofed). */
  readonly displayName?: string | undefined;
  /** The command text, mentions removed and trimmed. */
  readonly text: string;
  /** Slack `channel_id`, DingTalk `conversationId`, Lark `chat_id`. */
  readonly channelId: string;
  readonly replyTo: ReplyTarget;
}

export type ChatParse = { readonly ok: true; readonly message: ChatMessage } | { readonly ok: false; readonly issue: Issue };

// Ids are joined with `/` and `:` into the user key, so neither may appear inside one.
const ID_PATTERN = /^[^\s/:]{1,128}$/;

/** An issue when `value` (read from `path`) cannot be used as an id in a user key. */
export function idIssue(path: string, value: string): Issue | undefined {
  return ID_PATTERN.test(value) ? undefined : { path, message: 'must be an id without spaces, "/" or ":"' };
}

export function userKeyFor(platform: Platform, tenantId: string, userId: string): string {
  return `${platform}:${tenantId}/${userId}`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Hosts replies may go to, per platform (CHATOPS_REPLY_HOSTS, else each platform's own). */
export type ReplyHosts = Readonly<Record<Platform, readonly string[]>>;

/**
 * Each platform's reply endpoints: its own hosts and the paths it hands out. A host check alone is
 * not enough: any URL on oapi.dingtalk.com passes it, including a custom group robot
 * (`/robot/send?access_token=…`) that whoever replays a DingTalk signature may own; and a reply
 * target of one platform must never be accepted for another.
 */
export const REPLY_ENDPOINTS = {
  slack: { hosts: ['hooks.slack.com'], path: /^\/(?:commands|actions)\/[^/]+\/[^/]+\/[^/]+$/, shape: '/commands/… or /actions/…' },
  dingtalk: { hosts: ['oapi.dingtalk.com'], path: /^\/robot\/sendBySession$/, shape: '/robot/sendBySession?session=…' },
  lark: {
    hosts: ['open.feishu.cn', 'open.larksuite.com'],
    path: /^\/open-apis\/(?:im\/v1\/messages\/[^/]+\/reply|auth\/v3\/tenant_access_token\/internal)$/,
    shape: '/open-apis/…',
  },
} as const satisfies Record<Platform, { readonly hosts: readonly string[]; readonly path: RegExp; readonly shape: string }>;

export const DEFAULT_REPLY_HOSTS: ReplyHosts = {
  slack: REPLY_ENDPOINTS.slack.hosts,
  dingtalk: REPLY_ENDPOINTS.dingtalk.hosts,
  lark: REPLY_ENDPOINTS.lark.hosts,
};

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/**
 * Whether `platform` may reply to `url`: one of the hosts allowed for that platform, over HTTPS on the
 * default port — or, for local runs and tests only, a loopback host listed for it (any port, http
 * allowed) — and always on one of the platform's reply paths. Reply URLs come from the body;
 * DingTalk does not sign the body, so a replayed signature could otherwise send replies (and
 * confirmation codes) anywhere.
 */
export function isAllowedReplyUrl(url: string, platform: Platform, hosts: ReplyHosts): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '' || !hosts[platform].includes(parsed.hostname)) return false;
  if (!REPLY_ENDPOINTS[platform].path.test(parsed.pathname)) return false;
  if (isLoopbackHost(parsed.hostname)) return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  return parsed.protocol === 'https:' && parsed.port === '';
}

/** An issue unless {@link isAllowedReplyUrl}. */
export function replyUrlIssue(path: string, url: string, platform: Platform, hosts: ReplyHosts): Issue | undefined {
  if (isAllowedReplyUrl(url, platform, hosts)) return undefined;
  return { path, message: `must be a ${platform} reply URL: https://${hosts[platform].join(' or ')} with the path ${REPLY_ENDPOINTS[platform].shape}` };
}

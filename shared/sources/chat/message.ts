/**
 * The one shape a verified chat command takes, whichever platform sent it, and the identity and
 * reply-URL rules every platform's parser applies.
 */
import type { Issue } from '../../core/errors';
import type { ChatPlatform } from '../../core/outcome';
import { isLoopbackHost } from '../../runtime/config';

/** The platforms are the HTTP routes' (`POST /chatops/{platform}`): one list. */
export type Platform = ChatPlatform;

/**
 * Where the reply goes; each platform's adapter reads the fields it uses. It travels inside chat jobs
 * (across an async invocation), so it is plain data, checked again before anything is sent.
 */
export interface ReplyTarget {
  readonly platform: Platform;
  /** The URL to POST the reply to: Slack `response_url`, DingTalk `sessionWebhook`. */
  readonly url?: string | undefined;
  /** Until when `url` takes replies (ms since the epoch), where the platform says. */
  readonly expiresAt?: number | undefined;
  /** The message to reply to through the platform's API (Lark). */
  readonly messageId?: string | undefined;
  /**
   * The command came from a button press (a Slack `block_actions` payload, whose `response_url` can
   * replace the message the button was on): a reply that settles it does (`Reply.settles`).
   */
  readonly fromButton?: true | undefined;
}

export interface ChatMessage {
  readonly platform: Platform;
  /** The platform's id for this delivery: Slack `trigger_id`, DingTalk `msgId`, Lark `header.event_id` (of a message or a card action). */
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
  /** The command text, mentions removed and trimmed; for a button press, `<command> <code>` from the button. */
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

/**
 * The command without the @mentions people type before it (the bot's, or anyone's) and the blanks
 * around them: `@bwp-bot @alice create 100 …` → `create 100 …`. Only leading ones: a mention further
 * on is part of what was typed. `mention` is the platform's form of one.
 */
export function withoutLeadingMentions(text: string, mention: RegExp): string {
  const leading = new RegExp(`^\\s*(?:${mention.source})(?=\\s|$)`, 'u');
  let rest = text.trim();
  for (let strip = leading.exec(rest); strip; strip = leading.exec(rest)) rest = rest.slice(strip[0].length).trim();
  return rest;
}

export function userKeyFor(platform: Platform, tenantId: string, userId: string): string {
  return `${platform}:${tenantId}/${userId}`;
}

/** What a button may stand for: its command, pressed with the code it carries. */
export const BUTTON_COMMANDS = ['confirm', 'cancel', 'approve', 'reject'] as const;
export type ButtonCommand = (typeof BUTTON_COMMANDS)[number];

/**
 * The longest value a button carries: Slack's (docs/buttons.md §1.2; Lark's is larger). Codes are
 * kept within it (confirmation.ts), so every code fits a button.
 */
export const MAX_BUTTON_VALUE = 2_000;

/** Codes are letters and digits. */
const BUTTON_CODE = new RegExp(`^[0-9A-Za-z]{1,${MAX_BUTTON_VALUE}}$`);

/**
 * The text a button press stands for — `<command> <code>`, exactly as if the presser had typed it,
 * so it takes the same path as typed text (allow-list, approvers, code checks, refusals published) —
 * or the issue naming the field (`paths`) that stops it.
 */
export function buttonCommandText(command: unknown, code: unknown, paths: { readonly command: string; readonly code: string }): string | Issue {
  if (typeof command !== 'string' || !(BUTTON_COMMANDS as readonly string[]).includes(command)) {
    return { path: paths.command, message: command === undefined ? 'is required' : `must be one of ${BUTTON_COMMANDS.join(', ')}` };
  }
  if (typeof code !== 'string' || !BUTTON_CODE.test(code)) {
    return { path: paths.code, message: code === undefined ? 'is required' : `must be a code: 1 to ${MAX_BUTTON_VALUE} letters and digits` };
  }
  return `${command} ${code}`;
}

/** The reply endpoints a platform hands out: the paths (on any of the allowed hosts) and how they look. */
export interface ReplyEndpoint {
  readonly path: RegExp;
  /** For messages: `/commands/… or /actions/…`. */
  readonly shape: string;
}

/**
 * Whether a reply may be sent to `url`: one of `hosts` (the platform's own, or CHATOPS_REPLY_HOSTS),
 * over HTTPS on the default port — or, for local runs and tests only, a loopback host listed there
 * (any port, http allowed) — and always on one of the platform's reply paths. Reply URLs come from
 * the body; DingTalk does not sign the body, so a replayed signature could otherwise send replies (and
 * confirmation codes) anywhere, or to another platform's reply endpoint.
 */
export function isAllowedReplyUrl(url: string, endpoint: ReplyEndpoint, hosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '' || !hosts.includes(parsed.hostname)) return false;
  if (!endpoint.path.test(parsed.pathname)) return false;
  if (isLoopbackHost(parsed.hostname)) return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  return parsed.protocol === 'https:' && parsed.port === '';
}

/** An issue unless {@link isAllowedReplyUrl}. */
export function replyUrlIssue(path: string, url: string, platform: Platform, endpoint: ReplyEndpoint, hosts: readonly string[]): Issue | undefined {
  if (isAllowedReplyUrl(url, endpoint, hosts)) return undefined;
  return { path, message: `must be a ${platform} reply URL: https://${hosts.join(' or ')} with the path ${endpoint.shape}` };
}

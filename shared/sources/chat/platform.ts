/**
 * One chat platform, behind one interface: everything that differs between DingTalk, Slack and Lark
 * — how a request is verified and read, where replies may go, how a reply looks and how it is sent —
 * lives in the platform's folder and is reached only through this. The chat service
 * (`service.ts`) knows no platform by name; a new platform is a folder and one line in `platforms.ts`.
 */
import type { ChatopsConfig } from '../../runtime/config';
import type { HttpRequestView } from '../http-api/request';
import type { ChatMessage, ChatParse, ReplyEndpoint, ReplyTarget } from './message';
import type { ReplyPoster } from './poster';
import type { Reply } from './replies';
import type { VerificationFailure } from './verification';

/** What a platform made of a request. */
export type OpenedChat =
  /** Not verified: answered 401, nothing else happens. */
  | { readonly refused: VerificationFailure }
  /** A handshake to echo (Lark's URL verification). */
  | { readonly challenge: string }
  /**
   * Verified; the command, or the issue that stopped it being one (answered 400 naming the field).
   * `ignoredUnlessCommand`: a request that is not a command is acknowledged and ignored instead (Lark
   * delivers every event subscribed to, and redelivers what is not acknowledged).
   */
  | { readonly parsed: ChatParse; readonly ignoredUnlessCommand?: boolean };

/** How the synchronous HTTP answer carries the reply to a command. */
export type ReplyDelivery =
  /** As the answer's JSON body: a Slack slash command's message; a Lark card action's toast and card. */
  | { readonly body: unknown }
  /**
   * Posted with `send`; the request is acknowledged with `{}`, or with an empty body where the
   * platform asks for one (a Slack button press).
   */
  | { readonly post: 'json' | 'empty' };

export interface ChatPlatformAdapter {
  readonly name: ReplyTarget['platform'];
  /** The reply URLs this platform hands out (its hosts are configuration: CHATOPS_REPLY_HOSTS). */
  readonly replyEndpoint: ReplyEndpoint;
  /** Verifies the request with the platform's own scheme, then reads it. */
  open(request: HttpRequestView, config: ChatopsConfig, now: number): OpenedChat;
  /** Where the reply to `message` goes: in the answer's body, or posted. */
  deliver(reply: Reply, message: ChatMessage): ReplyDelivery;
  /** Posts a reply to where the message came from; throws `ReplyFailed` when it cannot. */
  send(target: ReplyTarget, reply: Reply, poster: ReplyPoster, deadline: number): Promise<void>;
}

/**
 * One chat platform, behind one interface: everything that differs between DingTalk, Slack and Lark
 * — how a request is verified and read, where replies may go, how a reply looks and how it is sent —
 * lives in the platform's folder and is reached only through this. The chat service
 * (`service.ts`) knows no platform by name; a new platform is a folder and one line in `platforms.ts`.
 */
import type { ChatopsConfig } from '../../runtime/config';
import type { HttpRequestView } from '../http-api/request';
import type { ChatParse, ReplyEndpoint, ReplyTarget } from './message';
import type { ReplyPoster } from './poster';
import type { Reply } from './replies';
import type { VerificationFailure } from './verification';

/** What a platform made of a request. */
export type OpenedChat =
  /** Not verified: answered 401, nothing else happens. */
  | { readonly refused: VerificationFailure }
  /** A handshake to echo (Lark's URL verification). */
  | { readonly challenge: string }
  /** Verified; the command, or the issue that stopped it being one. */
  | { readonly parsed: ChatParse };

export interface ChatPlatformAdapter {
  readonly name: ReplyTarget['platform'];
  /** The reply URLs this platform hands out (its hosts are configuration: CHATOPS_REPLY_HOSTS). */
  readonly replyEndpoint: ReplyEndpoint;
  /**
   * A verified request that is not a command is acknowledged and ignored (Lark delivers every event
   * subscribed to, and redelivers what is not acknowledged) rather than answered 400.
   */
  readonly ignoresNonCommands: boolean;
  /** Verifies the request with the platform's own scheme, then reads it. */
  open(request: HttpRequestView, config: ChatopsConfig, now: number): OpenedChat;
  /**
   * The reply as the synchronous HTTP answer's body, for a platform that takes it there (Slack);
   * undefined for one that is answered `{}` and gets the reply posted (DingTalk, Lark).
   */
  answerBody(reply: Reply): unknown;
  /** Posts a reply to where the message came from; throws `ReplyFailed` when it cannot. */
  send(target: ReplyTarget, reply: Reply, poster: ReplyPoster, deadline: number): Promise<void>;
}

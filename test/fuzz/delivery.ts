/**
 * What a sender picks at random or reads from its own clock when it sends a request — how far its
 * clock is from the function's, the number in the message's ids, Lark's IV and nonce, the id in a
 * reply URL — drawn by fast-check, so a failure replays from its seed and path. The function's clock
 * is a TestClock that starts at the same instant on every run (session.ts): a request is stamped at
 * that clock's time plus the drawn skew.
 */
import fc from 'fast-check';
import type { ChatCallOptions } from '../support/chat';
import { type HttpCall, httpEvent } from '../support/harness';

/** How a source compares a request's timestamp with the function's clock, in the unit of its timestamps. */
export interface Window {
  /** The skews accepted (inclusive). */
  readonly fresh: readonly [min: number, max: number];
  /** The nearest skews refused, below and above. */
  readonly stale: readonly [below: number, above: number];
  /** How far off a stale skew may be drawn. */
  readonly far: number;
}

/**
 * The windows README and docs/sources.md give: HTTP 300 s either way (whole seconds against whole
 * seconds); Slack 5 min and Lark 10 min (whole seconds against the clock's milliseconds, so a skew
 * of exactly -300 s or -600 s is accepted only on a whole second: it is drawn neither fresh nor
 * stale); DingTalk one hour (milliseconds).
 */
export const WINDOWS = {
  http: { fresh: [-300, 300], stale: [-301, 301], far: 10_000_000 },
  slack: { fresh: [-299, 300], stale: [-301, 301], far: 10_000_000 },
  lark: { fresh: [-599, 600], stale: [-601, 601], far: 10_000_000 },
  dingtalk: { fresh: [-3_600_000, 3_600_000], stale: [-3_600_001, 3_600_001], far: 10_000_000_000 },
} as const satisfies Record<string, Window>;

export interface Delivery {
  /**
   * Milliseconds since the previous request: the harness's clock moves on by this much before the
   * request is stamped. At least 1, as between any two real messages: two identical `create`s in the
   * same millisecond would get the same confirmation code (and buy one plan between them).
   */
  readonly elapsed: number;
  /** The sender's clock minus the function's, inside the window. */
  readonly skew: number;
  /** The same, outside the window (either way): used when the request is meant to be stale. */
  readonly staleSkew: number;
  /** The number in the message's ids (Slack `trigger_id`, DingTalk `msgId`, Lark `event_id`, the HTTP request id). */
  readonly sequence: number;
  /** Lark: the AES-CBC IV. */
  readonly iv: Uint8Array;
  /** Lark: the `X-Lark-Request-Nonce`. */
  readonly nonce: string;
  /** The id in a Slack `response_url`, or a DingTalk `sessionWebhook`'s session. */
  readonly replyId: string;
}

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const edgesOr = (min: number, max: number, ...edges: number[]) => fc.oneof(fc.constantFrom(...edges), fc.integer({ min, max }));

/** One request's sender-side draws, for a source with this timestamp window. */
export function delivery(window: Window): fc.Arbitrary<Delivery> {
  const [min, max] = window.fresh;
  const [below, above] = window.stale;
  return fc.record({
    elapsed: fc.integer({ min: 1, max: 120_000 }),
    skew: edgesOr(min, max, min, 0, max),
    staleSkew: fc.oneof(edgesOr(-window.far, below, below), edgesOr(above, window.far, above)),
    sequence: fc.nat({ max: 999_999 }),
    iv: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    nonce: hex(16),
    replyId: hex(16),
  });
}

/** The FC HTTP trigger event of `call`, sent at `now` (the function's clock), with the drawn request id. */
export function eventOf(call: HttpCall, sent: Delivery, now: number): Record<string, unknown> {
  return httpEvent({ ...call, now, requestId: `http-req-${sent.sequence}` });
}

/** The chat helpers' options for a request sent at `now` (the function's clock), fresh or stale. */
export function sentAt(sent: Delivery, now: number, stale = false): ChatCallOptions {
  return { now, skew: stale ? sent.staleSkew : sent.skew, sequence: sent.sequence, iv: sent.iv, nonce: sent.nonce };
}

/**
 * Every entry point of the function, fuzzed: what is generated for it and the properties each input
 * must satisfy (http.ts, async.ts, chat-envelope.ts, chat-commands.ts). Shared by the CI-sized vitest
 * run (`*.fuzz.test.ts`) and the long run (`run.ts`).
 *
 * Properties, for every input:
 * - the handler settles; async sources never throw for bad input (they return a rejected outcome);
 * - every HTTP answer has the documented JSON shape, 4xx for bad input, never 5xx;
 * - bad input reaches CEN not at all; valid input is sent exactly as given (checked against the
 *   oracle in plans.ts) and CEN's ClientToken rules hold (new → bought, same → replayed, other → 409);
 * - chat never buys without a valid confirmation code from the same allowed user;
 * - no secret appears in anything that leaves the function.
 *
 * Every draw that can change an outcome is fast-check's, including what a sender would pick at random
 * or read from its clock (delivery.ts); the function's clock is held (session.ts). A failure replays
 * from its seed and path (ci-runs.ts).
 */
import { eventBridgeBatch, eventBridgeSingle, timer } from './async';
import { dingtalkCommands, larkCommands, slackCommands } from './chat-commands';
import { dingtalkEnvelope, larkEnvelope, slackEnvelope } from './chat-envelope';
import type { EntryPoint } from './common';
import { httpCreate, httpDryRun, httpStatus } from './http';

export { eventBridgeBatch, eventBridgeSingle, timer } from './async';
export { dingtalkCommands, larkCommands, slackCommands } from './chat-commands';
export { dingtalkEnvelope, larkEnvelope, slackEnvelope } from './chat-envelope';
export type { EntryPoint } from './common';
export { httpCreate, httpDryRun, httpStatus } from './http';

export const ENTRY_POINTS: readonly EntryPoint[] = [
  httpCreate,
  httpDryRun,
  httpStatus,
  eventBridgeSingle,
  eventBridgeBatch,
  timer,
  slackEnvelope,
  slackCommands,
  dingtalkEnvelope,
  dingtalkCommands,
  larkEnvelope,
  larkCommands,
];

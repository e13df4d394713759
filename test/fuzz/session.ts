/**
 * One entry point's fuzzing run: a harness reused across inputs (replaced every few hundred so the
 * doubles' records stay small), what changed with each input, a model of CEN's ClientToken rules to
 * predict what a repeated token must do, and the tally of outcomes for the summary.
 *
 * Nothing here reads the wall clock: every harness holds a TestClock that starts at {@link FUZZ_EPOCH}
 * (the handler, the doubles and every timestamp a property signs read it), so the same inputs in the
 * same order meet the same times, signatures, confirmation codes and ClientTokens on every run.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { CenRequestRecord } from '../doubles/cen';
import type { ChatReply } from '../doubles/chat';
import type { InvocationRecord } from '../doubles/fc';
import type { PublishedMessage } from '../doubles/mns';
import { TestClock } from '../support/clock';
import { FAST_RETRIES, type Harness, type HarnessOptions, startHarness } from '../support/harness';
import { leakedSecrets } from '../support/observe';

/** Where the clock of every fuzzing harness starts (a whole second, 2025-06-02T03:04:05Z). */
export const FUZZ_EPOCH = Date.UTC(2025, 5, 2, 3, 4, 5);

/**
 * Guardrails wide open, so the schema's limits are the only limits the fuzzing meets. Each call to a
 * double may take 10 s of real time before it counts as timed out (FAST_RETRIES allows 500 ms): the
 * held clock decides everything else, and a loaded machine must not turn a slow loopback answer into
 * a retry the seed cannot replay.
 */
export const FUZZ_HARNESS: HarnessOptions = {
  env: { MAX_BANDWIDTH_MBPS: '10000' },
  handler: { retryPolicy: { ...FAST_RETRIES, attemptTimeoutMs: 10_000 } },
};
const RECYCLE_EVERY = 250;

/** What one input changed. */
export interface Delta {
  readonly cen: readonly CenRequestRecord[];
  readonly creates: readonly CenRequestRecord[];
  readonly plansAdded: number;
  readonly mnsRequests: number;
  readonly messages: readonly PublishedMessage[];
  readonly chatRequests: number;
  readonly replies: readonly ChatReply[];
  readonly logs: readonly string[];
  readonly invocations: readonly InvocationRecord[];
}

interface Marks {
  readonly cen: number;
  readonly plans: number;
  readonly mnsRequests: number;
  readonly messages: number;
  readonly chatRequests: number;
  readonly replies: number;
  readonly logs: number;
  readonly invocations: number;
}

/** CEN's ClientToken rule: a token seen with the same parameters replays; with others, conflicts. */
export class PlanModel {
  readonly #byToken = new Map<string, { wire: string; planId: string | undefined }>();
  readonly #tokenOf = new Map<string, string>();
  readonly #identityOf = new Map<string, string>();

  /** What CEN must do with `wire` under `token`. */
  predict(token: string, wire: Record<string, string>): { kind: 'new' } | { kind: 'replay'; planId: string | undefined } | { kind: 'conflict' } {
    const seen = this.#byToken.get(token);
    if (!seen) return { kind: 'new' };
    return seen.wire === canonical(wire) ? { kind: 'replay', planId: seen.planId } : { kind: 'conflict' };
  }

  record(token: string, wire: Record<string, string>, planId: string | undefined): void {
    if (!this.#byToken.has(token)) this.#byToken.set(token, { wire: canonical(wire), planId });
  }

  /** A token derived from an identity must be the same for the same identity, and differ for another. */
  derived(identity: readonly string[], token: string): void {
    const key = JSON.stringify(identity);
    const earlier = this.#tokenOf.get(key);
    if (earlier !== undefined) assert.equal(token, earlier, `the token derived from ${key} changed`);
    const owner = this.#identityOf.get(token);
    if (owner !== undefined) assert.equal(owner, key, `identities ${owner} and ${key} got the same token`);
    this.#tokenOf.set(key, token);
    this.#identityOf.set(token, key);
  }
}

const canonical = (wire: Record<string, string>) => JSON.stringify(Object.entries(wire).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A short, stable digest of any value fast-check generates (Buffers and typed arrays included). */
export const fingerprint = (value: unknown): string => createHash('sha256').update(fc.stringify(value)).digest('hex').slice(0, 16);

export class FuzzSession {
  readonly outcomes = new Map<string, number>();
  inputs = 0;
  /**
   * When tracing, what the run did, in order: each input's fingerprint, each CreateCenBandwidthPackage
   * call's parameters (fingerprinted) and each outcome label. Two runs of a seed must trace the same.
   */
  readonly trace: string[] | undefined;
  readonly #options: HarnessOptions;
  readonly #setup: ((h: Harness) => Promise<void>) | undefined;
  #harness: Harness | undefined;
  #clock = new TestClock(FUZZ_EPOCH);
  #model = new PlanModel();
  #sinceFresh = 0;

  constructor(options: HarnessOptions = FUZZ_HARNESS, setup?: (h: Harness) => Promise<void>, tracing = false) {
    this.#options = options;
    this.#setup = setup;
    this.trace = tracing ? [] : undefined;
  }

  /** The harness for the next input (a fresh one every {@link RECYCLE_EVERY} inputs, with a fresh model and clock). */
  async harness(): Promise<Harness> {
    if (!this.#harness || this.#sinceFresh >= RECYCLE_EVERY) {
      await this.#harness?.close();
      this.#clock = new TestClock(FUZZ_EPOCH);
      this.#harness = await startHarness({ ...this.#options, clock: this.#clock });
      this.#model = new PlanModel();
      this.#sinceFresh = 0;
      await this.#setup?.(this.#harness);
    }
    this.#sinceFresh += 1;
    this.inputs += 1;
    return this.#harness;
  }

  /** Moves the harness's clock on by `elapsedMs` (the time between two requests); returns the time the next one is sent at. */
  advance(elapsedMs: number): number {
    this.#clock.advance(elapsedMs);
    return this.#clock.now();
  }

  get model(): PlanModel {
    return this.#model;
  }

  /** Runs `work` on the harness and returns what it changed (after FC's async invocations settled). */
  async observe<T>(h: Harness, work: () => Promise<T>): Promise<{ result: T; delta: Delta }> {
    const marks: Marks = {
      cen: h.cen.requests.length,
      plans: h.cen.plans.length,
      mnsRequests: h.mns.requests.length,
      messages: h.mns.messages.length,
      chatRequests: h.chat.requests.length,
      replies: h.chat.replies.length,
      logs: h.logs.length,
      invocations: h.fc.invocations.length,
    };
    const result = await work();
    await h.fc.idle();
    const cen = h.cen.requests.slice(marks.cen);
    const delta: Delta = {
      cen,
      creates: cen.filter((request) => request.action === 'CreateCenBandwidthPackage'),
      plansAdded: h.cen.plans.length - marks.plans,
      mnsRequests: h.mns.requests.length - marks.mnsRequests,
      messages: h.mns.messages.slice(marks.messages),
      chatRequests: h.chat.requests.length - marks.chatRequests,
      replies: h.chat.replies.slice(marks.replies),
      logs: h.logs.slice(marks.logs),
      invocations: h.fc.invocations.slice(marks.invocations),
    };
    const texts = [
      ...delta.logs,
      ...delta.messages.map((message) => message.body),
      ...delta.replies.map((reply) => JSON.stringify(reply.body)),
      ...delta.invocations.map((invocation) => invocation.body.toString('utf8')),
      JSON.stringify(result) ?? '',
    ];
    assert.deepEqual(leakedSecrets(texts), [], 'a secret left the function');
    for (const create of delta.creates) this.note(`create ${fingerprint(create.params)}`);
    return { result, delta };
  }

  /** Adds a line to the trace, when tracing. */
  note(line: string): void {
    this.trace?.push(line);
  }

  count(label: string): void {
    this.outcomes.set(label, (this.outcomes.get(label) ?? 0) + 1);
    this.note(`outcome ${label}`);
  }

  async close(): Promise<void> {
    await this.#harness?.close();
    this.#harness = undefined;
  }
}

/**
 * Bounded retries (shared/runtime/retry.ts) with a fake clock, and the upstream error classification
 * (shared/core/errors.ts) that decides what is retried. Reference: docs/sources.md, "Alibaba Cloud OpenAPI and CEN"
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BandwidthPlanError, classifyUpstream, DeadlineExceededError, NetworkError, UpstreamError, ValidationError } from '../../shared/core/errors';
import type { Clock } from '../../shared/runtime/clock';
import { type Attempt, type RetryPolicy, retry } from '../../shared/runtime/retry';

const START = 1_700_000_000_000;

/** Deterministic time: `sleep` advances `now` and is recorded; `random` replays the given values. */
class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  #now: number;
  readonly #randoms: readonly number[];
  #nextRandom = 0;

  constructor(random: number | readonly number[] = 0.5, start = START) {
    this.#now = start;
    this.#randoms = typeof random === 'number' ? [random] : random;
  }

  now(): number {
    return this.#now;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.#now += ms;
  }

  random(): number {
    const value = this.#randoms[Math.min(this.#nextRandom, this.#randoms.length - 1)]!;
    this.#nextRandom++;
    return value;
  }

  /** The operation under test spends time. */
  advance(ms: number): void {
    this.#now += ms;
  }
}

interface Step {
  /** Time the attempt takes before it settles. */
  readonly takesMs?: number;
  /** Thrown by the attempt; without it the attempt returns `ok N`. */
  readonly error?: () => unknown;
}

interface StartedAttempt extends Attempt {
  readonly startedAt: number;
}

/** An operation that plays `steps` in order (repeating the last) and records every attempt it starts. */
function scripted(clock: FakeClock, steps: readonly Step[]) {
  const attempts: StartedAttempt[] = [];
  const thrown: unknown[] = [];
  const operation = async (attempt: Attempt): Promise<string> => {
    attempts.push({ ...attempt, startedAt: clock.now() });
    const step = steps[Math.min(attempt.number, steps.length) - 1]!;
    clock.advance(step.takesMs ?? 0);
    if (step.error) {
      const error = step.error();
      thrown.push(error);
      throw error;
    }
    return `ok ${attempt.number}`;
  };
  return { operation, attempts, thrown };
}

const upstream = (code: string, status: number) => () => new UpstreamError(code, `${code}: from CEN`, status, 'req-1');
const network = () => new NetworkError('socket hang up');
const serviceUnavailable = upstream('ServiceUnavailable', 503);
const FAR = START + 3_600_000;
/** What `promise` rejected with; fails the test if it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}
const policy = (overrides: Partial<RetryPolicy> = {}): Partial<RetryPolicy> => ({
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  attemptTimeoutMs: 10_000,
  ...overrides,
});

describe('retry: what is retried', () => {
  it('returns the first success without waiting', async () => {
    // Prepare
    const clock = new FakeClock();
    const { operation, attempts } = scripted(clock, [{}]);

    // Act
    const result = await retry(operation, { deadline: FAR, clock, policy: policy() });

    // Assess
    expect(result).toBe('ok 1');
    expect(attempts.map((attempt) => attempt.number)).toStrictEqual([1]);
    expect(clock.sleeps).toStrictEqual([]);
  });

  it.each<[string, () => BandwidthPlanError]>([
    ['UpstreamError Throttling.User', upstream('Throttling.User', 400)],
    ['UpstreamError ServiceUnavailable', upstream('ServiceUnavailable', 503)],
    ['UpstreamError InternalError', upstream('InternalError', 500)],
    ['UpstreamError Operation.Blocking', upstream('Operation.Blocking', 500)],
    ['NetworkError', network],
  ])('retries after %s and returns the next success', async (_name, error) => {
    // Prepare
    const clock = new FakeClock(0.5);
    const { operation, attempts } = scripted(clock, [{ error }, {}]);

    // Act
    const result = await retry(operation, { deadline: FAR, clock, policy: policy() });

    // Assess
    expect(result).toBe('ok 2');
    expect(attempts.map((attempt) => attempt.number)).toStrictEqual([1, 2]);
    expect(clock.sleeps).toStrictEqual([50]);
  });

  it.each<[string, () => unknown]>([
    ['UpstreamError InvalidParameter', upstream('InvalidParameter', 400)],
    ['UpstreamError UnSupported.ChargeType', upstream('UnSupported.ChargeType', 400)],
    ['UpstreamError Forbidden.RAM', upstream('Forbidden.RAM', 403)],
    ['UpstreamError SignatureDoesNotMatch', upstream('SignatureDoesNotMatch', 400)],
    ['UpstreamError IdempotenceParam.NotMatch', upstream('IdempotenceParam.NotMatch', 400)],
    ['ValidationError', () => new ValidationError([{ path: 'Bandwidth', message: 'is required' }])],
    ['a plain Error (not a BandwidthPlanError)', () => new Error('bug')],
    ['a thrown string', () => 'not even an Error'],
  ])('never retries %s: throws it as is after one attempt', async (_name, error) => {
    // Prepare
    const clock = new FakeClock();
    const { operation, attempts, thrown } = scripted(clock, [{ error }, {}]);

    // Act
    const outcome = retry(operation, { deadline: FAR, clock, policy: policy() });

    // Assess
    expect(await rejectionOf(outcome)).toBe(thrown[0]);
    expect(attempts).toHaveLength(1);
    expect(clock.sleeps).toStrictEqual([]);
  });

  it('stops at maxAttempts and throws the last error', async () => {
    // Prepare
    const clock = new FakeClock();
    const { operation, attempts, thrown } = scripted(clock, [{ error: serviceUnavailable }]);

    // Act
    const outcome = retry(operation, { deadline: FAR, clock, policy: policy({ maxAttempts: 3 }) });

    // Assess
    expect(await rejectionOf(outcome)).toBe(thrown[2]);
    expect(thrown).toHaveLength(3);
    expect(attempts.map((attempt) => attempt.number)).toStrictEqual([1, 2, 3]);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('makes 5 attempts by default', async () => {
    const clock = new FakeClock(0);
    const { operation, attempts } = scripted(clock, [{ error: network }]);

    await expect(retry(operation, { deadline: FAR, clock })).rejects.toBeInstanceOf(NetworkError);

    expect(attempts).toHaveLength(5);
  });
});

describe('retry: backoff with full jitter', () => {
  it('waits random()·min(cap, base·2^(n-1)), rounded down, and reports each wait to onRetry', async () => {
    // Prepare
    const clock = new FakeClock(0.5);
    const { operation, thrown } = scripted(clock, [{ error: serviceUnavailable }]);
    const retries: [unknown, number, number][] = [];

    // Act
    const outcome = retry(operation, {
      deadline: FAR,
      clock,
      policy: policy({ maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1_000 }),
      onRetry: (error, attempt, delayMs) => retries.push([error, attempt, delayMs]),
    });

    // Assess
    expect(await rejectionOf(outcome)).toBe(thrown[5]);
    expect(clock.sleeps).toStrictEqual([50, 100, 200, 400, 500]);
    expect(retries).toStrictEqual([
      [thrown[0], 1, 50],
      [thrown[1], 2, 100],
      [thrown[2], 3, 200],
      [thrown[3], 4, 400],
      [thrown[4], 5, 500],
    ]);
  });

  it('waits nothing when random() is 0', async () => {
    const clock = new FakeClock(0);
    const { operation } = scripted(clock, [{ error: network }]);

    await expect(retry(operation, { deadline: FAR, clock, policy: policy({ maxAttempts: 4 }) })).rejects.toBeInstanceOf(NetworkError);

    expect(clock.sleeps).toStrictEqual([0, 0, 0]);
  });

  it('keeps every wait n in [0, min(cap, base·2^(n-1))) for any random() values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 12 }),
        async (randoms, baseDelayMs, maxDelayMs, maxAttempts) => {
          // Prepare
          const clock = new FakeClock(randoms);
          const { operation } = scripted(clock, [{ error: serviceUnavailable }]);

          // Act
          await retry(operation, { deadline: Number.MAX_SAFE_INTEGER, clock, policy: policy({ baseDelayMs, maxDelayMs, maxAttempts }) }).catch(() => undefined);

          // Assess
          expect(clock.sleeps).toHaveLength(maxAttempts - 1);
          clock.sleeps.forEach((delay, index) => {
            const bound = Math.min(maxDelayMs, baseDelayMs * 2 ** index);
            expect(Number.isInteger(delay)).toBe(true);
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThan(bound);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('retry: timeouts and the deadline', () => {
  it('gives an attempt the policy timeout when the deadline is far', async () => {
    const clock = new FakeClock();
    const { operation, attempts } = scripted(clock, [{}]);

    await retry(operation, { deadline: FAR, clock, policy: policy({ attemptTimeoutMs: 10_000 }) });

    expect(attempts).toStrictEqual([{ number: 1, timeoutMs: 10_000, startedAt: START }]);
  });

  it('cuts each attempt timeout to the time left before the deadline', async () => {
    // Prepare
    const clock = new FakeClock(0);
    const { operation, attempts } = scripted(clock, [{ takesMs: 1_000, error: network }, {}]);

    // Act
    const result = await retry(operation, { deadline: START + 3_000, clock, policy: policy({ attemptTimeoutMs: 10_000 }) });

    // Assess
    expect(result).toBe('ok 2');
    expect(attempts).toStrictEqual([
      { number: 1, timeoutMs: 3_000, startedAt: START },
      { number: 2, timeoutMs: 2_000, startedAt: START + 1_000 },
    ]);
  });

  it.each<[string, () => BandwidthPlanError]>([
    ['ServiceUnavailable', serviceUnavailable],
    ['a NetworkError from an attempt that had its full timeout', network],
  ])('gives up with the last error (%s) when the next wait would pass the deadline', async (_name, error) => {
    // Prepare: 1 s left, the attempt's own 500 ms timeout is not cut, the wait would be 1980 ms
    const clock = new FakeClock(0.99);
    const { operation, attempts, thrown } = scripted(clock, [{ error }, {}]);

    // Act
    const outcome = retry(operation, { deadline: START + 1_000, clock, policy: policy({ attemptTimeoutMs: 500, baseDelayMs: 2_000, maxDelayMs: 5_000 }) });

    // Assess
    expect(await rejectionOf(outcome)).toBe(thrown[0]);
    expect(attempts).toHaveLength(1);
    expect(clock.sleeps).toStrictEqual([]);
  });

  it('throws DeadlineExceededError when an attempt cut short by the deadline fails with a NetworkError', async () => {
    // Prepare: 3 s left of a 10 s timeout; the attempt uses all of it
    const clock = new FakeClock(0);
    const { operation, attempts, thrown } = scripted(clock, [{ takesMs: 3_000, error: network }, {}]);

    // Act
    const error = await rejectionOf(retry(operation, { deadline: START + 3_000, clock, policy: policy({ attemptTimeoutMs: 10_000 }) }));

    // Assess
    expect(error).toBeInstanceOf(DeadlineExceededError);
    const deadlineError = error as DeadlineExceededError;
    expect([deadlineError.code, deadlineError.status, deadlineError.retryable]).toStrictEqual(['DeadlineExceeded', 504, true]);
    expect(deadlineError.message).toBe('no answer before the deadline (attempt 1): socket hang up');
    expect(deadlineError.cause).toBe(thrown[0]);
    expect(attempts).toHaveLength(1);
  });

  it('throws the UpstreamError itself when an attempt cut short by the deadline gets an answer', async () => {
    const clock = new FakeClock(0);
    const { operation, thrown } = scripted(clock, [{ takesMs: 3_000, error: serviceUnavailable }, {}]);

    const outcome = retry(operation, { deadline: START + 3_000, clock, policy: policy({ attemptTimeoutMs: 10_000 }) });

    expect(await rejectionOf(outcome)).toBe(thrown[0]);
  });

  it.each([
    ['the deadline is now', START],
    ['the deadline has passed', START - 1],
  ])('never starts an attempt when %s', async (_name, deadline) => {
    const clock = new FakeClock();
    const { operation, attempts } = scripted(clock, [{}]);

    await expect(retry(operation, { deadline, clock, policy: policy() })).rejects.toBeInstanceOf(DeadlineExceededError);

    expect(attempts).toStrictEqual([]);
  });

  it('never starts an attempt after the deadline, nor gives one a timeout past it, for any schedule', async () => {
    const step = fc.record({
      takesMs: fc.integer({ min: 0, max: 6_000 }),
      error: fc.constantFrom<Step['error']>(undefined, network, serviceUnavailable, upstream('Throttling.User', 400), upstream('Operation.Blocking', 500)),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 10 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: -100, max: 30_000 }),
        fc.record({
          maxAttempts: fc.integer({ min: 1, max: 10 }),
          baseDelayMs: fc.integer({ min: 1, max: 2_000 }),
          maxDelayMs: fc.integer({ min: 1, max: 5_000 }),
          attemptTimeoutMs: fc.integer({ min: 1, max: 10_000 }),
        }),
        async (steps, randoms, deadlineIn, retryPolicy) => {
          // Prepare
          const clock = new FakeClock(randoms);
          const { operation, attempts } = scripted(clock, steps);
          const deadline = START + deadlineIn;

          // Act
          await retry(operation, { deadline, clock, policy: retryPolicy }).catch(() => undefined);

          // Assess
          expect(attempts.length).toBeLessThanOrEqual(retryPolicy.maxAttempts);
          for (const attempt of attempts) {
            expect(attempt.startedAt).toBeLessThan(deadline);
            expect(attempt.startedAt + attempt.timeoutMs).toBeLessThanOrEqual(deadline);
            expect(attempt.timeoutMs).toBeLessThanOrEqual(retryPolicy.attemptTimeoutMs);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('classifyUpstream', () => {
  it.each<[string, number, number, boolean]>([
    // Retryable: throttling
    ['Throttling', 400, 429, true],
    ['Throttling.User', 400, 429, true],
    ['Throttling.Api', 400, 429, true],
    ['Rejected.Throttling', 400, 429, true],
    ['Throttling.Unlisted', 400, 429, true],
    // Retryable: failures on the service side
    ['ServiceUnavailable', 503, 502, true],
    ['InternalError', 500, 502, true],
    ['Operation.Blocking', 500, 502, true],
    ['DB.Error', 500, 502, true],
    // Non-retryable
    ['InvalidParameter', 400, 400, false],
    ['MissingParameter', 400, 400, false],
    ['UnSupported.ChargeType', 400, 400, false],
    ['Forbidden.RAM', 403, 403, false],
    ['Forbidden.Unlisted', 403, 403, false],
    ['SignatureDoesNotMatch', 400, 403, false],
    ['IdempotenceParam.NotMatch', 400, 409, false],
    ['PayFor.AccountMoneyValidateError', 500, 403, false],
    // The code decides, not the HTTP status
    ['InvalidParameter', 500, 400, false],
    ['ServiceUnavailable', 400, 502, true],
    // Unknown codes fall back on the HTTP status
    ['Some.Unknown', 500, 502, true],
    ['Some.Unknown', 503, 502, true],
    ['Some.Unknown', 400, 400, false],
    ['Some.Unknown', 404, 400, false],
    ['Some.Unknown', 401, 403, false],
    ['Some.Unknown', 403, 403, false],
  ])('classifies %s (HTTP %i) as status %i, retryable %s', (code, httpStatus, status, retryable) => {
    const rule = classifyUpstream(code, httpStatus);

    expect({ status: rule.status, retryable: rule.retryable }).toStrictEqual({ status, retryable });
  });

  it('gives UpstreamError the classified status and retryability, keeping the upstream status and request id', () => {
    const error = new UpstreamError('Throttling.User', 'Request was denied due to user flow control.', 400, 'req-7');

    expect([error.code, error.status, error.retryable, error.upstreamStatus, error.requestId]).toStrictEqual(['Throttling.User', 429, true, 400, 'req-7']);
  });
});

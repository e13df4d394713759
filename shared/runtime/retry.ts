/**
 * Bounded retries: exponential backoff with full jitter, a per-attempt timeout and an overall
 * deadline. The operation itself must be safe to repeat (for CreateCenBandwidthPackage: the same
 * ClientToken on every attempt; the caller fixes it before calling {@link retry}).
 */
import { BandwidthPlanError, DeadlineExceededError } from '../core/errors';
import { type Clock, systemClock } from './clock';

export interface RetryPolicy {
  /** Attempts at most, the first included. Default 5. */
  readonly maxAttempts: number;
  /** Backoff base in ms; attempt n waits up to base·2ⁿ⁻¹. Default 200. */
  readonly baseDelayMs: number;
  /** Longest single wait in ms. Default 5000. */
  readonly maxDelayMs: number;
  /** Longest single attempt in ms (shortened to fit the deadline). Default 10000. */
  readonly attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000, attemptTimeoutMs: 10_000 };

/** Below this, an attempt has no realistic chance to complete: stop rather than start it. */
const MIN_ATTEMPT_MS = 50;

export interface Attempt {
  /** 1-based. */
  readonly number: number;
  /** This attempt's timeout: the policy's, cut to what is left before the deadline. */
  readonly timeoutMs: number;
}

export interface RetryOptions {
  /** Epoch ms by which the last attempt must have ended. */
  readonly deadline: number;
  readonly policy?: Partial<RetryPolicy>;
  readonly clock?: Clock;
  /** Called before each wait, e.g. to log the retry. */
  readonly onRetry?: (error: BandwidthPlanError, attempt: number, delayMs: number) => void;
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, runs out of attempts, or
 * the next attempt could not finish before the deadline; then the last error is thrown as is
 * (a retryable error stays retryable, so an async caller can hand it to FC to re-invoke). An
 * attempt that timed out because the deadline cut it short becomes {@link DeadlineExceededError}.
 */
export async function retry<T>(operation: (attempt: Attempt) => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const clock = options.clock ?? systemClock;
  for (let number = 1; ; number++) {
    const remaining = options.deadline - clock.now();
    if (remaining < MIN_ATTEMPT_MS) throw new DeadlineExceededError();
    const timeoutMs = Math.min(policy.attemptTimeoutMs, remaining);
    try {
      return await operation({ number, timeoutMs });
    } catch (error) {
      if (!(error instanceof BandwidthPlanError) || !error.retryable) throw error;
      const delay = Math.floor(clock.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (number - 1)));
      const outOfTime = clock.now() + delay + MIN_ATTEMPT_MS > options.deadline;
      if (outOfTime && timeoutMs < policy.attemptTimeoutMs && error.code === 'NetworkError') {
        throw new DeadlineExceededError(`no answer before the deadline (attempt ${number}): ${error.message}`, error);
      }
      if (outOfTime || number >= policy.maxAttempts) throw error;
      options.onRetry?.(error, number, delay);
      await clock.sleep(delay);
    }
  }
}

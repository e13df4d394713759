/**
 * The one sign → send → read → retry loop every Alibaba Cloud client uses (CEN, MNS, FC): each
 * attempt is signed afresh (a new date and nonce — the services refuse reused ones) and read by the
 * client's own `read`, which turns the service's error answers into `UpstreamError`s classified by
 * the one error table (`core/errors.ts`). Retryable errors are retried within the deadline; the
 * operation must be safe to repeat (CreateCenBandwidthPackage: the same ClientToken every attempt).
 */
import type { BandwidthPlanError, UpstreamService } from '../core/errors';
import type { Clock } from '../runtime/clock';
import type { Credentials } from '../runtime/credentials';
import type { HttpRequest, HttpResponse, HttpTransport } from '../runtime/http';
import { type Logger, redact } from '../runtime/log';
import { type RetryPolicy, retry } from '../runtime/retry';

/** What every client is built with, for the life of the instance. */
export interface ClientDeps {
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly retryPolicy?: Partial<RetryPolicy> | undefined;
  readonly log?: Logger | undefined;
}

export interface SignedCall<T> {
  readonly service: UpstreamService;
  /** The API action, for logs. */
  readonly action: string;
  /** More to say in the retry log (e.g. the topic). */
  readonly logFields?: Readonly<Record<string, unknown>>;
  /** Epoch ms by which the last attempt must have ended. */
  readonly deadline: number;
  /** Whose keys sign the call: never echoed back in an error's message (see below). */
  readonly credentials: Credentials;
  /** The request for one attempt, signed with this attempt's date and nonce. */
  sign(now: Date): Omit<HttpRequest, 'timeoutMs'>;
  /** The result, or a thrown error built with the one classifier (`UpstreamError`, `notAnAnswer`). */
  read(response: HttpResponse): T;
}

export function signedCall<T>(deps: ClientDeps, call: SignedCall<T>): Promise<T> {
  return retry(
    async (attempt) => {
      const response = await deps.transport({ ...call.sign(new Date(deps.clock.now())), timeoutMs: attempt.timeoutMs });
      try {
        return call.read(response);
      } catch (error) {
        throw withoutCredentials(error, call.credentials);
      }
    },
    {
      deadline: call.deadline,
      clock: deps.clock,
      ...(deps.retryPolicy ? { policy: deps.retryPolicy } : {}),
      onRetry: (error: BandwidthPlanError, attempt, delayMs) =>
        deps.log?.warn(`retrying ${call.service} ${call.action}`, {
          ...call.logFields,
          attempt,
          delayMs,
          code: error.code,
          upstreamRequestId: error.requestId,
        }),
    },
  );
}

/**
 * An upstream error's text goes on into outcomes, answers and chat replies. No service should echo the
 * secret or token it was called with, but a proxy or a bug might: where upstream text enters the
 * function, they are cut out.
 */
function withoutCredentials(error: unknown, credentials: Credentials): unknown {
  if (error instanceof Error) error.message = redact(error.message, [credentials.accessKeySecret, credentials.securityToken]);
  return error;
}

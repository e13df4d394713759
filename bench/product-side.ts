/**
 * Our side of the warm comparison, in this process: an FC HTTP create event (webhook-signed, fresh
 * Idempotency-Key) through `createHandler(...)`'s handler — validation, ACS3 signing,
 * CreateCenBandwidthPackage, MNS PublishMessage. `invoke` times only the handler; building the
 * incoming event (the caller's work) is outside.
 */
import { createHandler } from '../functions/create-bandwidth-plan/handler';
import type { HttpTransport } from '../shared/runtime/http';
import { benchEnvironment, benchEvent, expectSuccess, fcContext } from './events';
import { microsSince } from './stats';

/** Microseconds taken by one call. */
export type Invoke = (iteration: number) => Promise<number>;

export interface Endpoints {
  /** CEN: `http://127.0.0.1:PORT` */
  readonly url: string;
  /** CEN: `127.0.0.1:PORT` */
  readonly host: string;
  /** MNS: `http://127.0.0.1:PORT` */
  readonly mnsUrl: string;
}

export interface ProductSide {
  readonly invoke: Invoke;
  /** Bytes of log lines the handler wrote (discarded). */
  readonly logBytes: () => number;
}

/** `transport` replaces the network (the default is the product's own keep-alive node:http transport). */
export function productSide(double: Endpoints, runId = String(process.pid), transport?: HttpTransport): ProductSide {
  let logBytes = 0;
  const handler = createHandler({
    ...(transport ? { transport } : {}),
    env: benchEnvironment(double),
    writeLog: (line) => {
      logBytes += line.length + 1;
    },
  });
  return {
    logBytes: () => logBytes,
    async invoke(iteration) {
      const event = benchEvent('api', iteration, `ours-${runId}`);
      const context = fcContext(iteration);
      const start = process.hrtime.bigint();
      const answer = await handler(event, context);
      const micros = microsSince(start);
      expectSuccess('api', answer);
      return micros;
    },
  };
}

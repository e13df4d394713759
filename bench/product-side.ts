/**
 * Our side of the warm comparison, in this process:
 *
 * - `productSide`: an FC HTTP create event (webhook-signed, fresh Idempotency-Key) through
 *   `createHandler(...)`'s handler — validation, the intent lookup (DescribeCenBandwidthPackages by
 *   the ClientToken tag), ACS3 signing, CreateCenBandwidthPackage with the intent tags, MNS
 *   PublishMessage. `invoke` times only the handler; building the incoming event (the caller's work)
 *   is outside.
 * - `productLookupSide`: that lookup alone, as the pipeline makes it (`CenClient.listPlansTagged`
 *   with the ClientToken tag, then finding the plan in the page), on a client of its own.
 */
import { createHandler } from '../functions/create-bandwidth-plan/handler';
import { CenClient } from '../shared/clients/cen/client';
import { CLIENT_TOKEN_TAG_KEY } from '../shared/core/intent';
import type { HttpTransport } from '../shared/runtime/http';
import { benchEnvironment, benchEvent, CREDENTIALS, expectSuccess, fcContext } from './events';
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

export function productLookupSide(double: Endpoints, runId = String(process.pid)): { invoke: Invoke } {
  const cen = new CenClient({ endpoint: double.url });
  return {
    async invoke(iteration) {
      const token = `http-lookup-${runId}-${iteration}`;
      const start = process.hrtime.bigint();
      const { plans } = await cen.listPlansTagged([{ Key: CLIENT_TOKEN_TAG_KEY, Value: token }], { credentials: CREDENTIALS, deadline: Date.now() + 10_000 });
      const found = plans.find((plan) => plan.tags.some((tag) => tag.Key === CLIENT_TOKEN_TAG_KEY && tag.Value === token));
      const micros = microsSince(start);
      if (found !== undefined || plans.length > 0) throw new Error(`the double listed plans for ${token}`);
      return micros;
    },
  };
}

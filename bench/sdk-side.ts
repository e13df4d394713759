/**
 * The official SDKs' side of the warm comparison, in this process, against the same double:
 *
 * - `sdkHandlerSide`: the SDK handler (sdk-handler.ts) given the same event as ours — the baseline;
 *   with `{ lookup: false }` the same handler without the intent lookup (its create still tagged),
 *   so the difference is what the lookup costs a purchase;
 * - `sdkLookupSide`: that lookup alone (sdk-handler.ts `lookUpIntent`: the query, the OpenApiRequest,
 *   `callApi` DescribeCenBandwidthPackages, finding the plan in the page), on a client of its own;
 * - `bareCallApiSide`: `@alicloud/openapi-client` `callApi` for CreateCenBandwidthPackage alone, the
 *   request without the intent tags, no signature check, validation, lookup or publish (a secondary
 *   row). `invoke` times the caller's whole per-call work: building the query and the OpenApiRequest,
 *   then `callApi`.
 */
import OpenApiClient, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import { RuntimeOptions } from '@alicloud/tea-util';
import { benchEnvironment, benchEvent, CREDENTIALS, expectSuccess, fcContext, PLAN_WITH_DEFAULTS } from './events';
import type { Endpoints, Invoke } from './product-side';
import { createSdkHandler, lookUpIntent } from './sdk-handler';
import { microsSince } from './stats';

export function sdkHandlerSide(double: Endpoints, runId = String(process.pid), options: { readonly lookup?: boolean } = {}): { invoke: Invoke } {
  const handler = createSdkHandler(benchEnvironment(double), () => undefined, options);
  return {
    async invoke(iteration) {
      const event = benchEvent('api', iteration, `sdk-${runId}`);
      const context = fcContext(iteration);
      const start = process.hrtime.bigint();
      const answer = await handler(event, context);
      const micros = microsSince(start);
      expectSuccess('api', answer);
      return micros;
    },
  };
}

const sdkClient = (double: Endpoints) =>
  new OpenApiClient(
    new Config({
      accessKeyId: CREDENTIALS.accessKeyId,
      accessKeySecret: CREDENTIALS.accessKeySecret,
      securityToken: CREDENTIALS.securityToken,
      endpoint: double.host,
      protocol: 'http',
    }),
  );

export function sdkLookupSide(double: Endpoints, runId = String(process.pid)): { invoke: Invoke } {
  const client = sdkClient(double);
  return {
    async invoke(iteration) {
      const token = `http-lookup-${runId}-${iteration}`;
      const start = process.hrtime.bigint();
      const found = await lookUpIntent(client, token);
      const micros = microsSince(start);
      if (found !== undefined) throw new Error(`the double listed a plan for ${token}`);
      return micros;
    },
  };
}

export function bareCallApiSide(double: Endpoints): { invoke: Invoke } {
  const client = sdkClient(double);
  const params = new Params({
    action: 'CreateCenBandwidthPackage',
    version: '2017-09-12',
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  // keepAlive is a RuntimeOptions field, but openapi-client 0.4.15 does not pass it on: its requests
  // go through httpx's shared keep-alive agent either way (the double's connection count shows it).
  const runtime = new RuntimeOptions({ keepAlive: true, autoretry: false, readTimeout: 10_000, connectTimeout: 10_000 });
  return {
    async invoke(iteration) {
      const start = process.hrtime.bigint();
      const request = new OpenApiRequest({ query: OpenApiUtil.query({ ...PLAN_WITH_DEFAULTS, ClientToken: `bare-${process.pid}-${iteration}` }) });
      const response = (await client.callApi(params, request, runtime)) as { statusCode?: number; body?: Record<string, unknown> };
      const micros = microsSince(start);
      if (typeof response.body?.CenBandwidthPackageId !== 'string') throw new Error(`unexpected SDK answer: ${JSON.stringify(response)}`);
      return micros;
    },
  };
}

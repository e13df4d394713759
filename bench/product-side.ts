/**
 * Our side of the warm comparison: an FC HTTP create event (webhook-signed, fresh Idempotency-Key)
 * through `createHandler(...)`'s handler — validation, ACS3 signing, CreateCenBandwidthPackage, MNS
 * PublishMessage. `invoke` times only the handler; building the incoming event (the caller's work) is
 * outside. Imports nothing of the SDK, so the memory and profile children load only our code.
 */
import { createHmac } from 'node:crypto';
import { createHandler } from '../functions/create-bandwidth-plan/handler';
import type { FcContext, FcHttpResponse } from '../shared/runtime/fc';
import type { HttpTransport } from '../shared/runtime/http';
import { microsSince } from './stats';

export const WEBHOOK_SECRET = 'bench-webhook-secret-5d1e8b';
export const TOPIC = 'bandwidth-plan-events';
/** Any STS-shaped keys: the double checks nothing. */
export const CREDENTIALS = {
  accessKeyId: 'STS.BenchAccessKeyId0000001',
  accessKeySecret: 'bench-access-key-secret',
  securityToken: 'CAIS+BenchSecurityToken/With+Special=Chars',
} as const;

/** A typical request: the required fields, a name, a description and one tag. */
export const PLAN = {
  Bandwidth: 10,
  GeographicRegionAId: 'China',
  GeographicRegionBId: 'Europe',
  Name: 'bench-plan',
  Description: 'Benchmark bandwidth plan',
  Tag: [{ Key: 'team', Value: 'network' }],
} as const;

/** The same request with the defaults our schema applies, as the SDK user would pass it. */
export const PLAN_WITH_DEFAULTS = { ...PLAN, BandwidthPackageChargeType: 'POSTPAY', PricingCycle: 'Month', Period: 1, AutoPay: false } as const;

/** Microseconds taken by one call. */
export type Invoke = (iteration: number) => Promise<number>;

export interface Endpoints {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT` */
  readonly host: string;
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
    env: {
      CEN_ENDPOINT: double.url,
      MNS_ENDPOINT: double.url,
      NOTIFY_TOPIC: TOPIC,
      WEBHOOK_SECRET,
      WAIT_SECONDS: '0',
    },
    writeLog: (line) => {
      logBytes += line.length + 1;
    },
  });
  const body = JSON.stringify(PLAN);
  return {
    logBytes: () => logBytes,
    async invoke(iteration) {
      const payload = Buffer.from(JSON.stringify(httpCreateEvent(body, `bench-${runId}-${iteration}`, iteration)));
      const context = fcContext(iteration);
      const start = process.hrtime.bigint();
      const response = (await handler(payload, context)) as FcHttpResponse;
      const micros = microsSince(start);
      if (response.statusCode !== 201) throw new Error(`expected 201, got ${response.statusCode}: ${response.body}`);
      return micros;
    },
  };
}

function fcContext(iteration: number): FcContext {
  return {
    requestId: `bench-fc-req-${iteration}`,
    credentials: { ...CREDENTIALS },
    function: { name: 'create-bandwidth-plan', handler: 'index.handler', memory: 512, timeout: 30 },
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
  };
}

/** An FC 3.0 HTTP trigger event for `POST /bandwidth-plans`, signed like the test harness does. */
function httpCreateEvent(body: string, idempotencyKey: string, iteration: number): Record<string, unknown> {
  const timestamp = Math.floor(Date.now() / 1000);
  // A keyed request: v2, over method, path, (empty) query, key and body.
  const signature = `v2=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.POST./bandwidth-plans..${idempotencyKey}.${body}`).digest('hex')}`;
  return {
    version: 'v1',
    rawPath: '/bandwidth-plans',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'bench',
      'Idempotency-Key': idempotencyKey,
      'X-Webhook-Timestamp': String(timestamp),
      'X-Webhook-Signature': signature,
    },
    queryParameters: {},
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '1234567890123456',
      domainName: 'create-bandwidth-plan-abcdefghij.cn-hangzhou.fcapp.run',
      http: { method: 'POST', path: '/bandwidth-plans', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'bench' },
      requestId: `bench-http-req-${iteration}`,
      time: new Date().toISOString(),
      timeEpoch: String(Date.now()),
    },
  };
}

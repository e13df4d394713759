/**
 * The baseline: the handler a user would write for the same job with the official SDKs. An FC HTTP
 * trigger for `POST /bandwidth-plans` that checks the same webhook signature the product checks
 * (shared/sources/http-api/webhook-auth.ts: v1 over "<ts>.<body>", v2 over
 * "<ts>.<METHOD>.<path>.<query>.<Idempotency-Key>.<body>", within 300 s, constant-time), validates
 * the body with a classic `zod` object schema, then does what the product does to buy an intent once
 * (README "Intent tags and runaway limits"): looks up the plan tagged with the ClientToken
 * (DescribeCenBandwidthPackages, `Tag.1.Key=bandwidth-plan:client-token`, one page of 50) and, when
 * there is none, calls CreateCenBandwidthPackage with the same three intent tags after the caller's
 * own — both through `@alicloud/openapi-client` (`callApi` with `OpenApiUtil.query(request)`, as the
 * generated `@alicloud/cbn20170912` client would) — then publishes the outcome through `@alicloud/mns`.
 * Clients are kept while FC's credentials stay the same, so warm invocations reuse their connections.
 * `{ lookup: false }` leaves the lookup out (the tags stay): the bench measures what the lookup costs.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import OpenApiClient, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import { RuntimeOptions } from '@alicloud/tea-util';
import { z } from 'zod';
import type { FcContext, FcHttpEvent, FcHttpResponse } from '../shared/runtime/fc';

/** `@alicloud/mns` ships no types: the part used here. */
interface MnsClient {
  publishMessage(topic: string, message: { MessageBody: string; MessageTag?: string }): Promise<{ code: number; body: Record<string, string> }>;
}
type MnsClientClass = new (
  accountId: string,
  options: { accessKeyId: string; accessKeySecret: string; securityToken?: string | undefined; endpoint?: string; region?: string },
) => MnsClient;
const MnsClientClass = require('@alicloud/mns') as MnsClientClass;

const AREAS = ['China', 'North-America', 'Asia-Pacific', 'Europe', 'Australia'] as const;
/** The intent tags (README "Intent tags and runaway limits"), the same keys and values as the product's. */
const INTENT_PREFIX = 'bandwidth-plan:';
const PRODUCT_TAG = { Key: `${INTENT_PREFIX}product`, Value: 'create-bandwidth-plan' } as const;
const TOKEN_TAG_KEY = `${INTENT_PREFIX}client-token`;
const REQUEST_TAG_KEY = `${INTENT_PREFIX}request`;

const PlanSchema = z
  .object({
    Bandwidth: z.number().int().min(2).max(10_000),
    GeographicRegionAId: z.enum(AREAS),
    GeographicRegionBId: z.enum(AREAS),
    Name: z
      .string()
      .min(2)
      .max(128)
      .regex(/^[A-Za-z][A-Za-z0-9_-]*$/)
      .optional(),
    Description: z.string().min(2).max(256).optional(),
    BandwidthPackageChargeType: z.enum(['POSTPAY', 'PREPAY']).default('POSTPAY'),
    PricingCycle: z.enum(['Month', 'Year']).default('Month'),
    Period: z.number().int().positive().default(1),
    AutoPay: z.boolean().default(false),
    AutoRenew: z.boolean().optional(),
    AutoRenewDuration: z.number().int().min(1).optional(),
    // The API's 20 tags, less the 3 the intent takes; the intent's prefix is not the caller's to use.
    Tag: z
      .array(
        z.object({
          Key: z
            .string()
            .min(1)
            .max(64)
            .refine((key) => !key.startsWith(INTENT_PREFIX), `must not start with ${INTENT_PREFIX}`),
          Value: z.string().max(128).optional(),
        }),
      )
      .max(17)
      .optional(),
    ClientToken: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\x21-\x7e]+$/)
      .optional(),
  })
  .strict();

type Plan = z.infer<typeof PlanSchema> & { ClientToken: string };
/** A plan as DescribeCenBandwidthPackages lists it: the fields read here. */
interface ListedPlan {
  CenBandwidthPackageId?: string;
  Tags?: { Tag?: Array<{ Key?: string; Value?: string }> };
}

const rpc = (action: string) =>
  new Params({
    action,
    version: '2017-09-12',
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
const CREATE = rpc('CreateCenBandwidthPackage');
const DESCRIBE = rpc('DescribeCenBandwidthPackages');
const RUNTIME = new RuntimeOptions({ autoretry: true, maxAttempts: 3, readTimeout: 10_000, connectTimeout: 5_000 });
const WINDOW_SECONDS = 300;

export type SdkHandler = (event: Buffer | string, context: FcContext) => Promise<FcHttpResponse>;

/** The plan bought for this ClientToken, found by its intent tag (one page: a token tags at most one plan). */
export async function lookUpIntent(client: OpenApiClient, clientToken: string): Promise<ListedPlan | undefined> {
  const query = OpenApiUtil.query({ Tag: [{ Key: TOKEN_TAG_KEY, Value: clientToken }], PageSize: 50, PageNumber: 1 });
  const response = await client.callApi(DESCRIBE, new OpenApiRequest({ query }), RUNTIME);
  const body = response.body as { CenBandwidthPackages?: { CenBandwidthPackage?: ListedPlan[] } } | undefined;
  return body?.CenBandwidthPackages?.CenBandwidthPackage?.find((plan) => plan.Tags?.Tag?.some((tag) => tag.Key === TOKEN_TAG_KEY && tag.Value === clientToken));
}

/** SHA-256 (hex) of the sorted `[name, value]` pairs, without the ClientToken, the caller's tags only: the `bandwidth-plan:request` tag. */
function requestDigest(plan: Plan): string {
  const pairs = Object.entries({ ...plan, Tag: plan.Tag?.length ? plan.Tag : undefined })
    .filter(([name, value]) => name !== 'ClientToken' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(pairs)).digest('hex');
}

export function createSdkHandler(
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void = console.log,
  options: { readonly lookup?: boolean } = {},
): SdkHandler {
  const lookup = options.lookup ?? true;
  const secret = env.WEBHOOK_SECRET ?? '';
  const topic = env.NOTIFY_TOPIC ?? '';
  const cen = new URL(env.CEN_ENDPOINT ?? 'https://cbn.aliyuncs.com');
  let clients: { key: string; cen: OpenApiClient; mns: MnsClient } | undefined;

  const clientsFor = (context: FcContext) => {
    const { accessKeyId = '', accessKeySecret = '', securityToken } = context.credentials ?? {};
    const key = `${accessKeyId}:${securityToken}`;
    if (clients?.key !== key) {
      const keys = { accessKeyId, accessKeySecret, securityToken };
      clients = {
        key,
        cen: new OpenApiClient(new Config({ ...keys, endpoint: cen.host, protocol: cen.protocol.slice(0, -1) })),
        mns: new MnsClientClass(context.accountId ?? '', {
          ...keys,
          endpoint: env.MNS_ENDPOINT || `https://${context.accountId}.mns.${context.region}.aliyuncs.com`,
        }),
      };
    }
    return clients;
  };

  return async function handler(event, context) {
    const request = JSON.parse(event.toString()) as FcHttpEvent;
    const method = request.requestContext?.http?.method ?? 'GET';
    if (method !== 'POST' || request.rawPath !== '/bandwidth-plans') return answer(404, { error: 'NotFound' });
    if (Object.keys(request.queryParameters ?? {}).length > 0) return answer(400, { error: 'InvalidParameter', message: 'no query parameters' });
    const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    const body = request.isBase64Encoded ? Buffer.from(request.body ?? '', 'base64').toString('utf8') : (request.body ?? '');
    const idempotencyKey = headers['idempotency-key'];
    if (!signedWithSecret(secret, headers, method, request.rawPath, idempotencyKey, body)) return answer(401, { error: 'Unauthorized' });

    let input: unknown;
    try {
      input = JSON.parse(body);
    } catch {
      return answer(400, { error: 'InvalidJson' });
    }
    const parsed = PlanSchema.safeParse(input);
    if (!parsed.success) return answer(400, { error: 'InvalidParameter', issues: parsed.error.issues });
    const plan: Plan = { ...parsed.data, ClientToken: parsed.data.ClientToken ?? clientTokenFor(idempotencyKey ?? headers['x-webhook-signature'] ?? '') };
    const digest = requestDigest(plan);
    const intentTags = [PRODUCT_TAG, { Key: TOKEN_TAG_KEY, Value: plan.ClientToken }, { Key: REQUEST_TAG_KEY, Value: digest }];

    const { cen: cenClient, mns } = clientsFor(context);
    const publish = (outcome: string, data: Record<string, unknown>) =>
      mns.publishMessage(topic, {
        MessageBody: JSON.stringify({
          specversion: '1.0',
          id: `${context.requestId}-${outcome}`,
          source: `acs:fc:${context.region}:${context.accountId}:functions/${context.function?.name}`,
          type: `cen.bandwidthplan.${outcome}`,
          time: new Date().toISOString(),
          datacontenttype: 'application/json',
          data: { outcome, request: plan, fcRequestId: context.requestId, ...data },
        }),
        MessageTag: outcome,
      });
    try {
      // Find before buying: the intent's plan, whatever CEN still remembers of the token.
      const found = lookup ? await lookUpIntent(cenClient, plan.ClientToken) : undefined;
      if (found) {
        const boughtWith = found.Tags?.Tag?.find((tag) => tag.Key === REQUEST_TAG_KEY)?.Value;
        if (boughtWith !== undefined && !(boughtWith.length === digest.length && timingSafeEqual(Buffer.from(boughtWith), Buffer.from(digest)))) {
          return answer(409, { error: 'IdempotenceParam.NotMatch', message: `${found.CenBandwidthPackageId} was bought with other parameters` });
        }
        await publish('created', { result: { CenBandwidthPackageId: found.CenBandwidthPackageId }, found: true });
        return answer(201, { outcome: 'created', found: true, ClientToken: plan.ClientToken, CenBandwidthPackageId: found.CenBandwidthPackageId });
      }
      const tagged = { ...plan, Tag: [...(plan.Tag ?? []), ...intentTags] };
      const response = await cenClient.callApi(CREATE, new OpenApiRequest({ query: OpenApiUtil.query(tagged) }), RUNTIME);
      const result = response.body as { RequestId?: string; CenBandwidthPackageId?: string; CenBandwidthPackageOrderId?: string };
      await publish('created', { result });
      log(JSON.stringify({ level: 'info', message: 'bandwidth plan created', fcRequestId: context.requestId, id: result.CenBandwidthPackageId }));
      return answer(201, { outcome: 'created', ClientToken: plan.ClientToken, ...result });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(JSON.stringify({ level: 'error', message: 'buying the plan failed', fcRequestId: context.requestId, error: message }));
      await publish('failed', { error: message }).catch(() => undefined);
      return answer(502, { error: 'UpstreamFailed', message });
    }
  };

  function signedWithSecret(secret: string, headers: Record<string, string>, method: string, path: string, key: string | undefined, body: string): boolean {
    const timestamp = headers['x-webhook-timestamp'] ?? '';
    const given = headers['x-webhook-signature'] ?? '';
    if (!secret || !/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > WINDOW_SECONDS) return false;
    // v1 only for a plain create; with an Idempotency-Key the method, path, (empty) query and key are signed too.
    const signed = key ? `v2=${hmac(secret, `${timestamp}.${method}.${path}..${key}.${body}`)}` : `v1=${hmac(secret, `${timestamp}.${body}`)}`;
    return given.length === signed.length && timingSafeEqual(Buffer.from(given), Buffer.from(signed));
  }
}

const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');
const clientTokenFor = (seed: string) => `http-${createHash('sha256').update(seed).digest('hex').slice(0, 40)}`;

function answer(statusCode: number, body: unknown): FcHttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, isBase64Encoded: false, body: JSON.stringify(body) };
}

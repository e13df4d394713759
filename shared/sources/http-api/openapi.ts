/**
 * The OpenAPI 3.1 document of the HTTP surface, generated from the route table (`routes.ts`), the
 * request schema and the answer schemas — never written by hand. `npm run openapi` writes it to
 * `docs/openapi.json`; the build ships that file beside the bundle (served at `GET /openapi.json`);
 * a test fails when the committed file and this function disagree.
 */
import * as z from 'zod/mini';
import { PRODUCT_ERRORS } from '../../core/errors';
import { CHAT_PLATFORMS } from '../../core/outcome';
import { BandwidthPlanRequestSchema, PLAN_ID_PATTERN } from '../../core/schema';
import {
  AwaitingApprovalAnswerSchema,
  ChatAnswerSchema,
  CreatedAnswerSchema,
  DryRunAnswerSchema,
  ErrorAnswerSchema,
  JobAnswerSchema,
  PlanStatusAnswerSchema,
} from './answers';
import { MAX_BODY_BYTES } from './request';
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_RULE, ROUTES, type RouteDefinition } from './routes';
import { WEBHOOK_WINDOW_SECONDS } from './webhook-auth';

type Json = Record<string, unknown>;

const schema = (type: z.ZodMiniType, io: 'input' | 'output' = 'output'): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Json;
  return rest;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, body: Json) => ({ description, content: { 'application/json': { schema: body } } });
const error = (status: number, description: string) => [String(status), json(description, ref('Error'))] as const;

/** Statuses every authenticated API route may answer with, from the one error table. */
const API_ERRORS = [
  error(400, 'Invalid: each issue names the field, query parameter or header and the rule it breaks'),
  error(401, 'Not signed correctly (X-Webhook-Timestamp / X-Webhook-Signature)'),
  error(404, PRODUCT_ERRORS.NotFound.message),
  error(405, 'Another method is allowed on this path (see the Allow header)'),
  error(413, PRODUCT_ERRORS.PayloadTooLarge.message),
  error(429, 'Alibaba Cloud throttled the request after retries'),
  error(500, PRODUCT_ERRORS.ConfigurationError.message),
  error(502, 'Upstream failure after retries'),
  error(504, PRODUCT_ERRORS.DeadlineExceeded.message),
];

const WEBHOOK_HEADERS = [
  {
    name: 'X-Webhook-Timestamp',
    in: 'header',
    required: true,
    description: `Unix time in seconds; accepted within ${WEBHOOK_WINDOW_SECONDS} s of the function's clock.`,
    schema: { type: 'string', pattern: '^[0-9]{1,12}$' },
  },
  {
    name: 'X-Webhook-Signature',
    in: 'header',
    required: true,
    description:
      'v1=hex(HMAC-SHA256(WEBHOOK_SECRET, "<timestamp>.<raw body>")) for a plain create (POST, no query, no Idempotency-Key); ' +
      'v2=hex(HMAC-SHA256(WEBHOOK_SECRET, "<timestamp>.<METHOD>.<path>.<query>.<Idempotency-Key>.<raw body>")) for everything else, ' +
      'the query being name=value pairs, RFC 3986-encoded, sorted by name, joined with &.',
    schema: { type: 'string', pattern: '^v[12]=[0-9a-f]{64}$' },
  },
];

function queryParameters(route: RouteDefinition): Json[] {
  const properties = (schema(route.query).properties ?? {}) as Record<string, Json>;
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    ...(name === 'dryRun' ? { description: 'true: validate and check the guardrails only; nothing is called or published. false: buy (as without it).' } : {}),
    schema: property,
  }));
}

function pathParameter(route: RouteDefinition): Json[] {
  if (route.path.includes('{id}')) return [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: PLAN_ID_PATTERN.source } }];
  if (route.path.includes('{platform}')) return [{ name: 'platform', in: 'path', required: true, schema: { type: 'string', enum: [...CHAT_PLATFORMS] } }];
  if (route.path.includes('{functionName}'))
    return [{ name: 'functionName', in: 'path', required: true, description: "This function's own name; any other is 404.", schema: { type: 'string' } }];
  return [];
}

function operation(route: RouteDefinition): Json {
  const parameters = [...pathParameter(route), ...queryParameters(route)];
  if (route.auth === 'webhook') parameters.push(...WEBHOOK_HEADERS);
  if ((route.headers as readonly string[]).includes('idempotency-key')) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: `The intent's identity: the ClientToken is derived from it (unless the body has a ClientToken). It ${IDEMPOTENCY_KEY_RULE}.`,
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    });
  }
  const base = {
    operationId: route.name,
    summary: route.summary,
    parameters,
    'x-auth': route.auth,
    ...(route.internal ? { 'x-internal': true } : {}),
    'x-unknown-query-parameters': 'refused with 400, naming the parameter',
  };
  switch (route.name) {
    case 'create':
      return {
        ...base,
        requestBody: { required: true, content: { 'application/json': { schema: ref('BandwidthPlanRequest') } } },
        responses: {
          '201': json('Bought (or found again by its ClientToken): the plan, its status and the ClientToken to retry with', ref('Created')),
          '202': json('Not bought: it waits for one of APPROVERS (README "Approval"); the code they approve with, and until when', ref('AwaitingApproval')),
          '200': json('dryRun=true: the request exactly as it would be sent, and the guardrails’ verdict', ref('DryRun')),
          ...Object.fromEntries(API_ERRORS),
          '403': json("Outside the owner's guardrails, or refused by Alibaba Cloud", ref('Error')),
          '409': json('This ClientToken was already used with other parameters (IdempotenceParam.NotMatch)', ref('Error')),
          '429': json(
            'Throttled by Alibaba Cloud after retries, or over the runaway limits (QuotaExceeded: the limit, the count and when room frees up)',
            ref('Error'),
          ),
        },
      };
    case 'find':
      return { ...base, responses: { '200': json('The plan bought with this ClientToken', ref('PlanStatus')), ...Object.fromEntries(API_ERRORS) } };
    case 'status':
      return { ...base, responses: { '200': json('The plan', ref('PlanStatus')), ...Object.fromEntries(API_ERRORS) } };
    case 'chatops':
      return {
        ...base,
        description: "Verified with the platform's own signature: Slack v0, DingTalk timestamp+sign, Lark signature + AES payload.",
        requestBody: { required: true, content: { 'application/json': {}, 'application/x-www-form-urlencoded': {} } },
        responses: {
          '200': json('The reply (Slack), an acknowledgement, or the Lark challenge', ref('ChatAnswer')),
          ...Object.fromEntries([
            error(400, 'Not a command this function reads'),
            error(401, 'Not verified'),
            error(404, 'Unknown platform'),
            error(413, PRODUCT_ERRORS.PayloadTooLarge.message),
          ]),
        },
      };
    case 'openapi':
      return {
        ...base,
        responses: {
          '200': { description: 'This document', content: { 'application/json': {} } },
          ...Object.fromEntries([error(404, 'Not shipped with this build')]),
        },
      };
    case 'invocation':
      return {
        ...base,
        responses: {
          '200': json('What the job did', ref('JobAnswer')),
          ...Object.fromEntries([
            error(400, 'Not a chat job'),
            error(401, 'The job’s MAC does not hold'),
            error(404, 'Another function'),
            error(413, PRODUCT_ERRORS.PayloadTooLarge.message),
          ]),
        },
      };
    default:
      return base;
  }
}

export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const route of Object.values(ROUTES) as readonly RouteDefinition[]) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'create-bandwidth-plan',
      version: '1',
      description:
        `Buys CEN bandwidth plans (CreateCenBandwidthPackage). Every route accepts exactly the query parameters and headers listed; ` +
        `anything else is refused with 400 naming it. Bodies are at most ${MAX_BODY_BYTES} bytes. ` +
        'Rules that tie fields together (Period with PricingCycle and PREPAY, AutoRenewDuration with AutoRenew, unique tag keys) are in README "Request parameters".',
    },
    paths,
    components: {
      schemas: {
        BandwidthPlanRequest: schema(BandwidthPlanRequestSchema, 'input'),
        Created: schema(CreatedAnswerSchema),
        AwaitingApproval: schema(AwaitingApprovalAnswerSchema),
        DryRun: schema(DryRunAnswerSchema),
        PlanStatus: schema(PlanStatusAnswerSchema),
        Error: schema(ErrorAnswerSchema),
        ChatAnswer: schema(ChatAnswerSchema),
        JobAnswer: schema(JobAnswerSchema),
      },
    },
  };
}

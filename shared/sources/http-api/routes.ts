/**
 * The HTTP surface, written down once: every route, its method, its path parameters, the query
 * parameters and headers it understands. Anything else that reaches a route — an unknown query
 * parameter, another spelling of `dryRun`, a repeated key, a header that would change the request's
 * meaning — is refused with a 400 naming it. `docs/openapi.json` is generated from this table and
 * the request schema (`npm run openapi`), and a test keeps the two equal.
 */
import * as z from 'zod/mini';
import type { Issue } from '../../core/errors';
import { ProductError } from '../../core/errors';
import { CHAT_PLATFORMS, type ChatPlatform } from '../../core/outcome';
import { CLIENT_TOKEN_PATTERN } from '../../core/schema';
import { closestName, type Meaning, meaningOf } from '../../core/suggest';

/** Idempotency-Key: printable ASCII, no space and no comma (a repeated header arrives comma-joined). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x2b\x2d-\x7e]{1,128}$/;
export const IDEMPOTENCY_KEY_RULE = 'must be 1 to 128 printable ASCII characters without spaces or commas';

const noQuery = z.strictObject({});

/** A ClientToken as a query value: the API's rule (printable ASCII, ≤ 64), without a comma (FC joins repeated keys with one). */
const CLIENT_TOKEN_QUERY_RULE = 'must be a ClientToken: 1 to 64 printable ASCII characters without spaces or commas, given once';
const clientTokenQuery = z.string().check(z.regex(CLIENT_TOKEN_PATTERN, { error: CLIENT_TOKEN_QUERY_RULE }));

/** How a route's caller proves who it is. */
export type RouteAuth =
  /** X-Webhook-Timestamp + X-Webhook-Signature (README "HTTP API"). */
  | 'webhook'
  /** The chat platform's own signature (Slack v0, DingTalk sign, Lark). */
  | 'platform'
  /** A chat job MAC'd with CHATOPS_CONFIRM_SECRET. */
  | 'job-mac'
  | 'none';

export interface RouteDefinition {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** OpenAPI path template: `{id}` is one path segment. */
  readonly path: string;
  readonly summary: string;
  readonly auth: RouteAuth;
  /** The query parameters understood (a strict object of optional strings). */
  readonly query: z.ZodMiniObject;
  /** Header names (lower case) that change the request's meaning; every other header is ignored. */
  readonly headers: readonly string[];
  /** Not for callers: FC's own delivery of this function's InvokeFunction calls. */
  readonly internal?: true;
}

export const ROUTES = {
  create: {
    name: 'create',
    method: 'POST',
    path: '/bandwidth-plans',
    summary: 'Buy a bandwidth plan (CreateCenBandwidthPackage), or preview it with dryRun=true',
    auth: 'webhook',
    query: z.strictObject({ dryRun: z.optional(z.enum(['true', 'false'])) }),
    headers: ['x-webhook-timestamp', 'x-webhook-signature', 'idempotency-key', 'content-encoding'],
  },
  find: {
    name: 'find',
    method: 'GET',
    path: '/bandwidth-plans',
    summary: 'The plan bought for an intent, found by its ClientToken tag (DescribeCenBandwidthPackages)',
    auth: 'webhook',
    // Required: checked by the route's handler (a strict object of optional strings keeps the table uniform).
    query: z.strictObject({ clientToken: z.optional(clientTokenQuery) }),
    headers: ['x-webhook-timestamp', 'x-webhook-signature', 'content-encoding'],
  },
  status: {
    name: 'status',
    method: 'GET',
    path: '/bandwidth-plans/{id}',
    summary: "A plan's status (DescribeCenBandwidthPackages)",
    auth: 'webhook',
    query: noQuery,
    headers: ['x-webhook-timestamp', 'x-webhook-signature', 'content-encoding'],
  },
  chatops: {
    name: 'chatops',
    method: 'POST',
    path: '/chatops/{platform}',
    summary: 'Chat-ops commands from DingTalk, Slack and Lark',
    auth: 'platform',
    query: noQuery,
    headers: ['content-encoding'],
  },
  openapi: {
    name: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    auth: 'none',
    query: noQuery,
    headers: [],
  },
  invocation: {
    name: 'invocation',
    method: 'POST',
    path: '/2023-03-30/functions/{functionName}/invocations',
    summary: "FC's delivery of this function's own asynchronous InvokeFunction call in HTTP shape: a MAC'd chat job, nothing else",
    auth: 'job-mac',
    query: z.strictObject({ qualifier: z.optional(z.string()) }),
    headers: ['content-encoding'],
    internal: true,
  },
} as const satisfies Record<string, RouteDefinition>;

export type RouteName = keyof typeof ROUTES;

export type Route =
  | { readonly name: 'create' }
  | { readonly name: 'find' }
  | { readonly name: 'status'; readonly id: string }
  | { readonly name: 'chatops'; readonly platform: ChatPlatform }
  | { readonly name: 'openapi' }
  | { readonly name: 'invocation'; readonly functionName: string };

/** 405, carrying the method the path does accept (sent back in `Allow`). */
export class MethodNotAllowedError extends ProductError {
  override readonly name = 'MethodNotAllowedError';
  readonly allow: string;
  constructor(method: string, path: string, allow: string) {
    super('MethodNotAllowed', `${method} is not allowed on ${path}; use ${allow}`);
    this.allow = allow;
  }
}

const SEGMENT = '([^/]+)';
const MATCHERS = (Object.values(ROUTES) as readonly RouteDefinition[]).map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, SEGMENT)}$`),
}));

/** The route a decoded path (no trailing slash) names; 404 for none, 405 for a known path with another method. */
export function matchRoute(method: string, path: string): Route {
  const allowed: string[] = [];
  for (const { route, pattern } of MATCHERS) {
    const match = pattern.exec(path);
    if (!match) continue;
    if (method === route.method) return routeOf(route.name as RouteName, match[1], path);
    allowed.push(route.method);
  }
  if (allowed.length > 0) throw new MethodNotAllowedError(method, path, allowed.join(', '));
  throw new ProductError('NotFound', `No route for ${path}`);
}

function routeOf(name: RouteName, parameter: string | undefined, path: string): Route {
  switch (name) {
    case 'create':
    case 'find':
    case 'openapi':
      return { name };
    case 'status':
      // The id is checked after authentication, so a caller without the secret learns nothing.
      return { name, id: parameter! };
    case 'chatops':
      if (!(CHAT_PLATFORMS as readonly string[]).includes(parameter!)) throw new ProductError('NotFound', `No route for ${path}`);
      return { name, platform: parameter as ChatPlatform };
    case 'invocation':
      return { name, functionName: parameter! };
  }
}

/** What the request carries besides its body and path, as FC delivered it. */
export interface RequestSurface {
  readonly method: string;
  /** Query parameters; FC joins a repeated key's values with commas. Non-strings are kept to be refused. */
  readonly query: Readonly<Record<string, unknown>>;
  /** Header names lower-cased; names FC delivered more than once (in different cases) are listed apart. */
  readonly headers: Readonly<Record<string, string>>;
  readonly repeatedHeaders: readonly string[];
}

/**
 * Every issue with the query string and headers of a request to `name`: each parameter not in the
 * route's table, each value not exactly as documented, each repeated key, each header that would
 * change the meaning in a way this function does not understand. Empty when the request is exact.
 */
export function surfaceIssues(name: RouteName, request: RequestSurface): Issue[] {
  const route: RouteDefinition = ROUTES[name];
  const issues: Issue[] = [];
  const known = Object.keys(route.query.def.shape);
  const where = `${route.method} ${route.path}`;
  for (const [key, value] of Object.entries(request.query)) {
    if (!known.includes(key)) {
      const near = closestName(key, known);
      const takes = known.length === 0 ? 'it takes none' : `it takes ${known.join(', ')}`;
      issues.push({ path: `query.${key}`, message: `is not a query parameter of ${where} (${near ? `did you mean ${near}? ` : ''}${takes})` });
      continue;
    }
    if (typeof value !== 'string') {
      issues.push({ path: `query.${key}`, message: 'must be given once, as text' });
      continue;
    }
    const field = (route.query.def.shape as Record<string, z.ZodMiniType>)[key]!;
    if (z.safeParse(field, value).success) continue;
    issues.push({ path: `query.${key}`, message: valueRule(field, value) });
  }
  for (const name of request.repeatedHeaders) issues.push({ path: `header.${name}`, message: 'must be given once' });
  const idempotencyKey = request.headers['idempotency-key'];
  if (idempotencyKey !== undefined) {
    if (!(route.headers as readonly string[]).includes('idempotency-key')) {
      issues.push({ path: 'header.idempotency-key', message: `is not accepted by ${where} (only by POST /bandwidth-plans)` });
    } else if (!IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      issues.push({ path: 'header.idempotency-key', message: IDEMPOTENCY_KEY_RULE });
    }
  }
  if (route.auth === 'webhook') issues.push(...lookAlikeHeaderIssues(route, request.headers));
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    issues.push({ path: 'header.content-encoding', message: 'must be absent: send the body uncompressed' });
  }
  return issues;
}

/** Where this API reads what a look-alike header (core/suggest.ts `meaningOf`) was meant to say. */
const HEADER_ADVICE: Record<Meaning, string> = {
  idempotency: 'the Idempotency-Key header',
  clientToken: 'the body’s ClientToken (or the Idempotency-Key header)',
  dryRun: 'the query parameter dryRun=true',
};

function lookAlikeHeaderIssues(route: RouteDefinition, headers: Readonly<Record<string, string>>): Issue[] {
  const issues: Issue[] = [];
  for (const [name, value] of Object.entries(headers)) {
    // The Idempotency-Key has its own issue where the route does not take it.
    if (route.headers.includes(name) || name === 'idempotency-key') continue;
    const meaning = meaningOf(name);
    const near = meaning ? undefined : closestName(name, route.headers);
    const meant = meaning ? HEADER_ADVICE[meaning] : near ? `the ${near} header` : undefined;
    if (meant) issues.push({ path: `header.${name}`, message: `is not read by this API, which would ignore it: use ${meant}` });
    // RFC 7240's Prefer is not read either; `Prefer: dry-run` must not buy.
    else if (name.toLowerCase() === 'prefer' && /dry/i.test(value)) {
      issues.push({ path: 'header.prefer', message: 'is not read by this API, which would ignore it: use the query parameter dryRun=true' });
    }
  }
  return issues;
}

/** The rule a query value broke, e.g. `must be exactly "true" or "false"`. */
function valueRule(field: z.ZodMiniType, value: string): string {
  const options = enumOptions(field);
  const rule = options
    ? `must be exactly ${options.map((option) => `"${option}"`).join(' or ')}`
    : (z.safeParse(field, value).error?.issues[0]?.message ?? 'is not valid');
  return value.includes(',') ? `${rule} (it appears more than once, or contains a comma)` : rule;
}

function enumOptions(field: z.ZodMiniType): readonly string[] | undefined {
  const inner = field instanceof z.ZodMiniOptional ? field.def.innerType : field;
  return inner instanceof z.ZodMiniEnum ? (inner.options as readonly string[]) : undefined;
}

/**
 * `POST /bandwidth-plans` as a create command: the JSON body is the request; the ClientToken comes
 * from the body, else the `Idempotency-Key` header (hashed), else the request's own signature.
 */
import { definedIssues, ProductError } from '../../core/errors';
import { derivedClientToken, foreignTokenIssue, freshClientToken } from '../../core/idempotency';
import type { CreateCommand } from '../../core/pipeline';
import { isPlainObject, parseUntrustedJson, UnsafeJsonError } from '../json';
import type { HttpRequestView } from './request';

/** The body as a JSON object, or a 400 that says why not. */
export function parseJsonBody(request: HttpRequestView): Record<string, unknown> {
  let body: unknown;
  try {
    body = parseUntrustedJson(request.rawBody.toString('utf8'));
  } catch (error) {
    const why =
      error instanceof UnsafeJsonError
        ? `The body is refused: ${error.message}`
        : `The body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`;
    throw new ProductError('InvalidJson', why, { cause: error });
  }
  if (!isPlainObject(body)) throw new ProductError('InvalidJson', 'The body must be a JSON object of CreateCenBandwidthPackage parameters.');
  return body;
}

/**
 * True for a query of exactly `dryRun=true` and nothing else: a preview, never a purchase attempt,
 * whatever else is wrong with the request. (Any other query is refused before a command is built.)
 */
export function isDryRun(request: Pick<HttpRequestView, 'query'>): boolean {
  const keys = Object.keys(request.query);
  return keys.length === 1 && request.query.dryRun === 'true';
}

/** Who asked and from where, for the outcome. */
export function httpTrigger(request: HttpRequestView, fcRequestId: string): CreateCommand['trigger'] {
  return { kind: 'http', id: request.requestId ?? fcRequestId, requester: request.sourceIp };
}

/**
 * A create command from an authenticated, exact `POST /bandwidth-plans`. ClientToken precedence: the
 * body's `ClientToken`, then the `Idempotency-Key` header (hashed), then a token derived from the
 * request's own signature (returned to the caller, who can retry with it). The signature covers the
 * timestamp and the body, so a new request gets a new token, while a captured request replayed within
 * the 300 s window maps to the same token and buys nothing.
 */
export function createCommandFromHttp(request: HttpRequestView, fcRequestId: string): CreateCommand {
  const input = parseJsonBody(request);
  const idempotencyKey = request.headers['idempotency-key'];
  const signature = request.headers['x-webhook-signature'];
  const clientToken =
    typeof input.ClientToken === 'string'
      ? input.ClientToken
      : idempotencyKey
        ? derivedClientToken('http', idempotencyKey)
        : signature
          ? derivedClientToken('http', 'signed-request', signature)
          : freshClientToken();
  const inputIssues = definedIssues(foreignTokenIssue(input.ClientToken, 'http'));
  return { trigger: httpTrigger(request, fcRequestId), input, clientToken, dryRun: isDryRun(request), inputIssues };
}

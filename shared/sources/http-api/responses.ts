/**
 * Every HTTP answer is FC's response shape with a JSON body; errors are
 * `{"error": {code, message, requestId?, issues?}}` with the status from the one error table.
 */
import type { BandwidthPlanError } from '../../core/errors';
import type { FcHttpResponse } from '../../runtime/fc';
import { MethodNotAllowedError } from './routes';

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): FcHttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    isBase64Encoded: false,
    body: JSON.stringify(body),
  };
}

/** The error body every failure answers with. */
export function errorBody(error: BandwidthPlanError): { error: Record<string, unknown> } {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(error.issues ? { issues: error.issues } : {}),
    },
  };
}

export function errorResponse(error: BandwidthPlanError, extra: Record<string, unknown> = {}): FcHttpResponse {
  const headers: Record<string, string> = error instanceof MethodNotAllowedError ? { allow: error.allow } : {};
  return jsonResponse(error.status, { ...errorBody(error), ...extra }, headers);
}

/**
 * The OpenAPI gateway's error answers (docs/sources.md, "Alibaba Cloud OpenAPI and CEN"): one table of code, HTTP
 * status and default message, and the JSON body the real gateway sends.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export const OPENAPI_ERRORS = {
  IncompleteSignature: { status: 400, message: 'The request signature does not conform to Aliyun standards.' },
  SignatureDoesNotMatch: { status: 400, message: 'Specified signature does not match our calculation.' },
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' },
  'InvalidSecurityToken.MismatchWithAccessKey': { status: 400, message: 'Specified security token does not match the access key.' },
  MissingSecurityToken: { status: 400, message: 'A security token is required for an STS access key.' },
  'InvalidTimeStamp.Format': { status: 400, message: 'Specified time stamp or date value is not well formatted.' },
  'InvalidTimeStamp.Expired': { status: 400, message: 'Specified time stamp or date value is expired.' },
  SignatureNonceUsed: { status: 400, message: 'Specified signature nonce was used already.' },
  NoSuchVersion: { status: 400, message: 'Specified version is not valid.' },
  'InvalidAction.NotFound': { status: 404, message: 'Specified api is not found, please check your url and method.' },
  MissingParameter: { status: 400, message: 'A mandatory parameter is not supplied.' },
  InvalidParameter: { status: 400, message: 'Invalid parameter.' },
  'IdempotenceParam.NotMatch': { status: 400, message: 'The parameter of idempotence is not match.' },
  'UnSupported.ChargeType': { status: 400, message: 'The charge type is not supported.' },
  // DescribeCenBandwidthPackages' tag errors (docs/sources.md, "Alibaba Cloud OpenAPI and CEN").
  'IllegalParam.TagKey': { status: 400, message: 'The tag keys are not valid.' },
  'IllegalParam.TagValue': { status: 400, message: 'The tag values are not valid.' },
  'Throttling.User': { status: 400, message: 'Request was denied due to user flow control.' },
  ServiceUnavailable: { status: 503, message: 'The request has failed due to a temporary failure of the server.' },
  InternalError: { status: 500, message: 'The request processing has failed due to some unknown error, exception or failure.' },
  'Operation.Blocking': { status: 500, message: 'Operation blocking, try again later.' },
  RequestEntityTooLarge: { status: 413, message: 'The request body is too large.' },
  // FC 3.0's own code for a request it understood but will not run (docs/sources.md, "Function Compute").
  InvalidArgument: { status: 400, message: 'The argument is invalid.' },
  FunctionNotFound: { status: 404, message: 'The function does not exist.' },
  ResourceThrottled: { status: 429, message: 'Reserve resource exhausted, please try again later.' },
} as const;

export type OpenApiErrorCode = keyof typeof OPENAPI_ERRORS;

export interface ApiError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export function openApiError(code: OpenApiErrorCode, message?: string): ApiError {
  const entry = OPENAPI_ERRORS[code];
  return { status: entry.status, code, message: message ?? entry.message };
}

export const newRequestId = (): string => randomUUID().toUpperCase();

export function sendOpenApiJson(response: ServerResponse, status: number, body: object, requestId: string): void {
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId }).end(JSON.stringify(body));
}

/** `product` names the service in the troubleshooting link, e.g. `Cbn`. */
export function sendOpenApiError(response: ServerResponse, error: ApiError, requestId: string, hostId: string, product: string): void {
  sendOpenApiJson(
    response,
    error.status,
    {
      RequestId: requestId,
      HostId: hostId,
      Code: error.code,
      Message: error.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}&requestId=${requestId}`,
    },
    requestId,
  );
}

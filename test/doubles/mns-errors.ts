/** MNS error answers (docs/sources.md, "MNS"): one table of code, HTTP status and default message, sent as the service's XML. */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { escapeText, MNS_NAMESPACE } from './mns-xml';
import type { ApiError } from './openapi-errors';

export const MNS_VERSION = '2015-06-06';
export const MNS_HOST_ID = 'mns.cn-hangzhou.aliyuncs.com';

export const MNS_ERRORS = {
  MissingAuthorizationHeader: { status: 400, message: 'The Authorization header is missing.' },
  InvalidAuthorizationHeader: { status: 400, message: 'The Authorization header must read "MNS <AccessKeyId>:<Signature>".' },
  InvalidAccessKeyId: { status: 403, message: 'The AccessKeyId you provided does not exist.' },
  SignatureDoesNotMatch: { status: 403, message: 'The request signature we calculated does not match the signature you provided.' },
  // The real service's code for a wrong STS token is not documented; this one names the problem.
  SecurityTokenMismatch: { status: 403, message: 'The security-token header does not match the STS AccessKeyId.' },
  MissingDateHeader: { status: 400, message: 'The Date header is missing.' },
  InvalidDateHeader: { status: 400, message: 'The Date header is not an RFC 1123 GMT date.' },
  TimeExpired: { status: 408, message: 'The Date header is more than 15 minutes from the server time.' },
  MissingVersionHeader: { status: 400, message: 'The x-mns-version header is missing.' },
  InvalidVersionHeader: { status: 400, message: `The x-mns-version header must be ${MNS_VERSION}.` },
  InvalidDegist: { status: 400, message: 'The Content-MD5 you specified is not valid.' },
  InvalidRequestURL: { status: 400, message: 'The request URL is not valid.' },
  TopicNotExist: { status: 404, message: 'The topic you provided does not exist.' },
  MalformedXML: { status: 400, message: 'The XML you provided was not well-formed.' },
  InvalidArgument: { status: 400, message: 'The value of an argument is not valid.' },
  // 400, as the service answers it (docs/sources.md, "MNS"): the code, not the status, says "try later".
  QpsLimitExceeded: { status: 400, message: 'The QPS limit of the topic is exceeded.' },
  ServiceUnavailable: { status: 503, message: 'The service is temporarily unavailable.' },
  InternalError: { status: 500, message: 'The request processing has failed due to some unknown error.' },
} as const;

export type MnsErrorCode = keyof typeof MNS_ERRORS;

export function mnsError(code: MnsErrorCode, message?: string): ApiError {
  return { status: MNS_ERRORS[code].status, code, message: message ?? MNS_ERRORS[code].message };
}

/** Shaped like the service's ids, e.g. `5F3A1B2C3D4E5F6A7B8C9D0E`. */
export const newMnsRequestId = (): string => randomBytes(12).toString('hex').toUpperCase();

export function sendMnsXml(response: ServerResponse, status: number, xml: string, requestId: string): void {
  response
    .writeHead(status, { 'content-type': 'text/xml;charset=utf-8', 'x-mns-request-id': requestId, 'x-mns-version': MNS_VERSION })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

export function sendMnsError(response: ServerResponse, error: ApiError, requestId: string): void {
  sendMnsXml(
    response,
    error.status,
    `<Error xmlns="${MNS_NAMESPACE}"><Code>${escapeText(error.code)}</Code><Message>${escapeText(error.message)}</Message>` +
      `<RequestId>${requestId}</RequestId><HostId>${MNS_HOST_ID}</HostId></Error>`,
    requestId,
  );
}

/**
 * The official OpenAPI SDK as an independent client of the doubles: if the SDK's own requests
 * verify, the double's checks agree with Alibaba's signing, not just with the product's.
 */
import OpenApiClient, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import OpenApiUtil from '@alicloud/openapi-util';
import { RuntimeOptions } from '@alicloud/tea-util';
import type { CloudCredential } from '../doubles/credentials';

export interface SdkError {
  readonly code: string;
  readonly statusCode: number | undefined;
  readonly data: Record<string, unknown> | undefined;
}

export function sdkClient(url: string, credentials: CloudCredential): OpenApiClient {
  const { host } = new URL(url);
  return new OpenApiClient(
    new Config({
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      securityToken: credentials.securityToken,
      endpoint: host,
      protocol: 'http',
    }),
  );
}

const runtime = () => new RuntimeOptions({ autoretry: false, readTimeout: 3000, connectTimeout: 3000 });

/** One RPC call to the CEN double; parameters go in the query exactly as the product SDK puts them. */
export async function callCen(client: OpenApiClient, action: string, parameters: Record<string, unknown>): Promise<Record<string, unknown>> {
  const params = new Params({
    action,
    version: '2017-09-12',
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new OpenApiRequest({ query: OpenApiUtil.query(parameters) });
  const response = (await client.callApi(params, request, runtime())) as { body: Record<string, unknown> };
  return response.body;
}

/** One FC 3.0 InvokeFunction call (ROA style, body as an octet stream, as `@alicloud/fc20230330` sends it). */
export async function invokeFunction(
  client: OpenApiClient,
  functionName: string,
  payload: Buffer,
  invocationType: 'Sync' | 'Async',
): Promise<{ statusCode: number; headers: Record<string, string>; body: unknown }> {
  const { Readable } = await import('node:stream');
  const params = new Params({
    action: 'InvokeFunction',
    version: '2023-03-30',
    protocol: 'HTTP',
    pathname: `/2023-03-30/functions/${encodeURIComponent(functionName)}/invocations`,
    method: 'POST',
    authType: 'AK',
    style: 'ROA',
    reqBodyType: 'json',
    bodyType: invocationType === 'Async' ? 'none' : 'json',
  });
  const request = new OpenApiRequest({
    headers: { 'x-fc-invocation-type': invocationType },
    query: { qualifier: 'LATEST' },
    stream: Readable.from([payload]),
  });
  return (await client.callApi(params, request, runtime())) as { statusCode: number; headers: Record<string, string>; body: unknown };
}

/** Runs a call expected to fail and returns the SDK's error. */
export async function sdkFailure(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    const { code, data } = error as { code?: string; data?: Record<string, unknown> };
    return { code: code ?? String(error), statusCode: data?.statusCode as number | undefined, data };
  }
  throw new Error('expected the call to fail');
}

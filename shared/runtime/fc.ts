/**
 * The FC 3.0 nodejs20 contract, typed once: the handler receives the event as a Buffer and a
 * context; HTTP triggers expect `{statusCode, headers, body}` back (docs/sources.md, "Function Compute").
 */

import { ProductError } from '../core/errors';
import type { PlatformConfig } from './config';
import type { ContextCredentials } from './credentials';

export interface FcContext {
  readonly requestId: string;
  readonly credentials?: ContextCredentials;
  readonly function?: { readonly name?: string; readonly handler?: string; readonly memory?: number; readonly timeout?: number };
  readonly region?: string;
  readonly accountId?: string;
}

export interface FcHttpEvent {
  readonly version: string;
  readonly rawPath: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly queryParameters?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: {
    readonly accountId?: string;
    readonly domainName?: string;
    readonly http?: { readonly method?: string; readonly path?: string; readonly sourceIp?: string; readonly userAgent?: string };
    readonly requestId?: string;
    readonly time?: string;
    readonly timeEpoch?: string;
  };
}

export interface FcHttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly isBase64Encoded: boolean;
  readonly body: string;
}

export type FcHandler = (event: Buffer | string | unknown, context: FcContext) => Promise<unknown>;

/** The function's identity for this invocation: the FC context, else FC's own variables. */
export interface FunctionIdentity {
  readonly accountId: string | undefined;
  readonly region: string | undefined;
  readonly functionName: string;
}

const DEFAULT_FUNCTION_NAME = 'create-bandwidth-plan';

export function identityOf(context: FcContext, platform: PlatformConfig): FunctionIdentity {
  return {
    accountId: context.accountId ?? platform.accountId,
    region: context.region ?? platform.region,
    functionName: context.function?.name ?? platform.functionName ?? DEFAULT_FUNCTION_NAME,
  };
}

/** The FC API endpoint: configured, else the function's own account and region. */
export function resolveFcEndpoint(configured: string | undefined, identity: FunctionIdentity): string {
  if (configured) return configured;
  const { accountId, region } = identity;
  if (!accountId || !region) {
    throw new ProductError('ConfigurationError', 'FC_ENDPOINT is not set and the FC context has no accountId/region to derive it from.');
  }
  return `https://${accountId}.${region}.fc.aliyuncs.com`;
}

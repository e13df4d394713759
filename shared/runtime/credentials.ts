/**
 * The function's own credentials: the RAM role's STS keys FC hands to each invocation
 * (`context.credentials`), else the keys the configuration read from the standard environment
 * variables at cold start. Read per invocation, because STS keys rotate while an instance stays warm.
 */
import { ProductError } from '../core/errors';

export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS token; present for RAM-role credentials. */
  readonly securityToken?: string | undefined;
}

export interface ContextCredentials {
  readonly accessKeyId?: string;
  readonly accessKeySecret?: string;
  readonly securityToken?: string;
}

export function resolveCredentials(fromContext: ContextCredentials | undefined, fromEnvironment: Credentials | undefined): Credentials {
  if (fromContext?.accessKeyId && fromContext.accessKeySecret) {
    return {
      accessKeyId: fromContext.accessKeyId,
      accessKeySecret: fromContext.accessKeySecret,
      securityToken: fromContext.securityToken || undefined,
    };
  }
  if (fromEnvironment) return fromEnvironment;
  throw new ProductError(
    'ConfigurationError',
    'No credentials: give the function a RAM role (FC passes its STS keys in context.credentials) or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.',
  );
}

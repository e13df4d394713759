/**
 * The function's own credentials: the RAM role's STS keys FC hands to each invocation
 * (`context.credentials`), else the standard environment variables. Read per invocation, because
 * STS keys rotate while an instance stays warm.
 */
import type { Credentials } from '../clients/signer/acs3';
import { ProductError } from '../core/errors';

export interface ContextCredentials {
  readonly accessKeyId?: string;
  readonly accessKeySecret?: string;
  readonly securityToken?: string;
}

export function resolveCredentials(fromContext: ContextCredentials | undefined, env: NodeJS.ProcessEnv): Credentials {
  if (fromContext?.accessKeyId && fromContext.accessKeySecret) {
    return {
      accessKeyId: fromContext.accessKeyId,
      accessKeySecret: fromContext.accessKeySecret,
      securityToken: fromContext.securityToken || undefined,
    };
  }
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (accessKeyId && accessKeySecret) {
    return { accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined };
  }
  throw new ProductError(
    'ConfigurationError',
    'No credentials: give the function a RAM role (FC passes its STS keys in context.credentials) or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.',
  );
}

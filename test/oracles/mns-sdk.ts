/**
 * `@alicloud/mns` (the official Node SDK) as an independent MNS client. It ships no type
 * declarations; it is loaded through `require` and typed here, locally, rather than with a global
 * `declare module` that could clash with another one in the same program.
 */
import { createRequire } from 'node:module';
import type { CloudCredential } from '../doubles/credentials';

export interface MnsSdkClient {
  sign(verb: string, headers: Record<string, string>, resource: string): string;
  publishMessage(
    topic: string,
    params: { MessageBody: string; MessageTag?: string },
  ): Promise<{ code: number; headers: Record<string, string>; body: Record<string, string> }>;
}

type MnsSdkConstructor = new (
  accountId: string,
  options: { accessKeyId: string; accessKeySecret: string; securityToken?: string; endpoint?: string; readTimeout?: number; connectTimeout?: number },
) => MnsSdkClient;

const MnsSdk = createRequire(import.meta.url)('@alicloud/mns') as MnsSdkConstructor;

export function mnsSdkClient(url: string, credentials: CloudCredential): MnsSdkClient {
  return new MnsSdk('1234567890123456', {
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    securityToken: credentials.securityToken,
    endpoint: url,
    readTimeout: 3000,
    connectTimeout: 3000,
  });
}

/**
 * Who the loopback cloud lets in. The local run and the tests share one development STS credential,
 * so a function started by `npm start` signs with exactly the keys the doubles expect.
 */

export interface CloudCredential {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Present for STS keys (`STS.` ids): the services then demand this exact token. */
  readonly securityToken?: string;
}

/**
 * The default development credential. The token carries `+`, `/` and `=` like a real STS token, so
 * header handling that mangles them shows up locally rather than in production.
 */
export const DEV_CREDENTIALS: CloudCredential = Object.freeze({
  accessKeyId: 'STS.LocalDevAccessKeyId000001',
  accessKeySecret: 'local-dev-access-key-secret',
  securityToken: 'CAIS+LocalDevSecurityToken/With+Special=Chars',
});

export const DEFAULT_CREDENTIALS: readonly CloudCredential[] = Object.freeze([DEV_CREDENTIALS]);

export function findCredential(registry: readonly CloudCredential[], accessKeyId: string): CloudCredential | undefined {
  return registry.find((credential) => credential.accessKeyId === accessKeyId);
}

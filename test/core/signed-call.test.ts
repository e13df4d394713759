/**
 * Every client's calls go through signedCall: an upstream answer that echoes the keys it was signed
 * with never carries them further (into an outcome, an HTTP answer, a chat reply or a log).
 */
import { describe, expect, it } from 'vitest';
import { CenClient } from '../../shared/clients/cen/client';
import { FcClient } from '../../shared/clients/fc/client';
import { MnsPublisher } from '../../shared/clients/mns/publisher';
import type { HttpResponse, HttpTransport } from '../../shared/runtime/http';

const CREDENTIALS = { accessKeyId: 'STS.test-id', accessKeySecret: 'secret-that-must-not-leak-0123', securityToken: 'token-that-must-not-leak-4567' };
const echoing =
  (status: number, body: string): HttpTransport =>
  async (): Promise<HttpResponse> => ({ status, headers: {}, body: Buffer.from(body) });
const call = { credentials: CREDENTIALS, deadline: Date.now() + 5_000 };
const echo = `you sent ${CREDENTIALS.accessKeySecret} and ${CREDENTIALS.securityToken}`;

describe('upstream text is cleaned of the call’s keys where it enters', () => {
  it.each([
    [
      'CEN',
      () =>
        new CenClient({
          endpoint: 'http://127.0.0.1:1',
          transport: echoing(400, JSON.stringify({ Code: 'InvalidParameter', Message: echo })),
        }).describeBandwidthPackage('cenbwp-1', call),
    ],
    [
      'FC',
      () =>
        new FcClient({ endpoint: 'http://127.0.0.1:1', transport: echoing(400, JSON.stringify({ Code: 'InvalidArgument', Message: echo })) }).invoke(
          { functionName: 'f', payload: '{}', async: true },
          call,
        ),
    ],
    [
      'MNS',
      () =>
        new MnsPublisher({
          endpoint: 'http://127.0.0.1:1',
          topic: 't',
          transport: echoing(400, `<Error><Code>InvalidArgument</Code><Message>${echo}</Message></Error>`),
        }).publish({ body: 'x' }, call),
    ],
  ])('%s', async (_service, run) => {
    const error = await run().then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.message).toBe('you sent [REDACTED] and [REDACTED]');
  });
});

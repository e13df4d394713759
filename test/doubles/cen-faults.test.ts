import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedRequest } from '../oracles/acs3-reference';
import { callCen, sdkClient, sdkFailure } from '../oracles/openapi-sdk';
import { send } from '../support/raw-http';
import { until } from '../support/wait';
import { type CenDouble, startCenDouble } from './cen';
import { DEV_CREDENTIALS } from './credentials';

const CREATE = 'CreateCenBandwidthPackage';
const DESCRIBE = 'DescribeCenBandwidthPackages';
const PLAN = { Bandwidth: '2', GeographicRegionAId: 'China', GeographicRegionBId: 'Europe', AutoPay: 'true', ClientToken: 'fault-token' };

let cen: CenDouble;
beforeEach(async () => {
  cen = await startCenDouble();
});
afterEach(async () => cen.close());

const client = () => sdkClient(cen.url, DEV_CREDENTIALS);
const create = () => send(signedRequest({ url: cen.url, credentials: DEV_CREDENTIALS, action: CREATE, version: '2017-09-12', query: PLAN }), 500);

describe('CEN double: injected faults', () => {
  it.each([
    ['throttling', 'Throttling.User', 400],
    ['unavailable', 'ServiceUnavailable', 503],
    ['internal', 'InternalError', 500],
    ['blocking', 'Operation.Blocking', 500],
  ] as const)('%s answers %s (%i) with the gateway error body, then the next call succeeds', async (fault, code, status) => {
    cen.inject(fault);

    const failure = await sdkFailure(callCen(client(), CREATE, PLAN));
    const retry = await callCen(client(), CREATE, PLAN);

    expect(failure).toMatchObject({ code, statusCode: status });
    expect(Object.keys(failure.data ?? {}).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId', 'statusCode']);
    expect(retry.CenBandwidthPackageId).toMatch(/^cenbwp-/);
    expect(cen.requests.map((r) => [r.verified, r.status, r.fault])).toEqual([
      [true, status, fault],
      [true, 200, undefined],
    ]);
    expect(cen.plans).toHaveLength(1);
  });

  it('answers any { code, status, message } fault', async () => {
    cen.inject({ code: 'PayFor.AccountMoneyValidateError', status: 500, message: 'quota insufficient' });
    const failure = await sdkFailure(callCen(client(), CREATE, PLAN));
    expect(failure).toMatchObject({ code: 'PayFor.AccountMoneyValidateError', statusCode: 500, data: { Message: 'quota insufficient' } });
  });

  it('reset destroys the connection without answering and creates nothing', async () => {
    cen.inject('reset');
    await expect(create()).rejects.toThrow();
    expect(cen.requests).toMatchObject([{ verified: true, status: undefined, fault: 'reset' }]);
    expect(cen.plans).toHaveLength(0);
  });

  it('hang never answers; close() destroys the hanging connection at once', async () => {
    cen.inject('hang');
    const started = Date.now();
    const pending = send(signedRequest({ url: cen.url, credentials: DEV_CREDENTIALS, action: CREATE, version: '2017-09-12', query: PLAN }), 10_000);
    await until(() => cen.requests.length === 1);

    await cen.close();

    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(cen.requests).toMatchObject([{ verified: true, status: undefined, fault: 'hang' }]);
  });

  it('drop-after-success creates the plan, drops the answer, and a retry with the same ClientToken gets that plan', async () => {
    cen.inject('drop-after-success');

    await expect(create()).rejects.toThrow();
    const retry = await create();

    expect(cen.plans).toHaveLength(1);
    expect(retry.json?.CenBandwidthPackageId).toBe(cen.plans[0]?.id);
  });

  it('counts times, and faults only hit requests for their action', async () => {
    cen.inject('throttling', { times: 2, action: CREATE });

    const describeCall = await callCen(client(), DESCRIBE, {});
    const first = await sdkFailure(callCen(client(), CREATE, PLAN));
    const second = await sdkFailure(callCen(client(), CREATE, PLAN));
    const third = await callCen(client(), CREATE, PLAN);

    expect(describeCall.TotalCount).toBe(0);
    expect([first.code, second.code]).toEqual(['Throttling.User', 'Throttling.User']);
    expect(third.CenBandwidthPackageId).toMatch(/^cenbwp-/);
  });

  it('takes faults in the order they were queued; Infinity keeps failing until cleared', async () => {
    cen.inject('internal');
    cen.inject('unavailable', { times: Infinity });

    const codes: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) codes.push((await sdkFailure(callCen(client(), DESCRIBE, {}))).code);
    cen.clearFaults();
    const after = await callCen(client(), DESCRIBE, {});

    expect(codes).toEqual(['InternalError', 'ServiceUnavailable', 'ServiceUnavailable', 'ServiceUnavailable']);
    expect(after.TotalCount).toBe(0);
  });

  it('does not spend a fault on a request that fails authentication', async () => {
    cen.inject('throttling');
    const forged = await sdkFailure(callCen(sdkClient(cen.url, { ...DEV_CREDENTIALS, accessKeySecret: 'wrong' }), DESCRIBE, {}));
    const next = await sdkFailure(callCen(client(), DESCRIBE, {}));
    expect([forged.code, next.code]).toEqual(['SignatureDoesNotMatch', 'Throttling.User']);
  });

  it.each([
    ['an unknown fault name', 'meteor', {}],
    ['times 0', 'internal', { times: 0 }],
    ['a redirect status', { code: 'Odd', status: 302 }, {}],
    ['a status beyond 599', { code: 'Odd', status: 600 }, {}],
  ])('refuses to queue %s', (_name, fault, options) => {
    expect(() => cen.inject(fault as never, options)).toThrow();
  });
});

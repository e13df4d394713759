import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acsDate, signedRequest } from '../oracles/acs3-reference';
import { callCen, sdkClient, sdkFailure } from '../oracles/openapi-sdk';
import { send } from '../support/raw-http';
import { type CenDouble, startCenDouble } from './cen';
import { DEV_CREDENTIALS } from './credentials';

const CREATE = 'CreateCenBandwidthPackage';
const DESCRIBE = 'DescribeCenBandwidthPackages';
const PLAN = {
  Bandwidth: 2,
  GeographicRegionAId: 'China',
  GeographicRegionBId: 'Asia-Pacific',
  BandwidthPackageChargeType: 'PREPAY',
  Period: 1,
  PricingCycle: 'Month',
  AutoPay: true,
};

let cen: CenDouble;
afterEach(async () => cen.close());

describe('CEN double: authentication', () => {
  beforeEach(async () => {
    cen = await startCenDouble();
  });

  it('accepts a CreateCenBandwidthPackage from the official SDK with STS credentials', async () => {
    const body = await callCen(sdkClient(cen.url, DEV_CREDENTIALS), CREATE, {
      ...PLAN,
      ClientToken: 'sdk-1',
      Name: 'bwp test',
      Description: 'Plan A/B: 50% * ~ (v1)! 带宽',
    });

    expect(body.CenBandwidthPackageId).toMatch(/^cenbwp-[a-z0-9]{17}$/);
    expect(body.CenBandwidthPackageOrderId).toMatch(/^\d{15}$/);
    expect(body.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(cen.requests).toHaveLength(1);
    expect(cen.requests[0]).toMatchObject({ action: CREATE, verified: true, status: 200, accessKeyId: DEV_CREDENTIALS.accessKeyId });
    expect(cen.requests[0]?.params.Description).toBe('Plan A/B: 50% * ~ (v1)! 带宽');
    expect(cen.plans[0]).toMatchObject({ Name: 'bwp test', Bandwidth: 2, Status: 'Idle', BusinessStatus: 'Normal', clientToken: 'sdk-1' });
  });

  it('accepts a request signed from the reference doc, with an RFC 3986 query', async () => {
    const response = await send(
      signedRequest({
        url: cen.url,
        credentials: DEV_CREDENTIALS,
        action: CREATE,
        version: '2017-09-12',
        query: { Bandwidth: '5', GeographicRegionAId: 'Europe', GeographicRegionBId: 'China', Name: "a b*c(d)!'e", AutoPay: 'true' },
      }),
    );

    expect(response.status).toBe(200);
    expect(cen.plans[0]?.Name).toBe("a b*c(d)!'e");
  });

  it('takes a raw "+" in the query literally, so a form-encoded space does not verify', async () => {
    const good = signedRequest({
      url: cen.url,
      credentials: DEV_CREDENTIALS,
      action: CREATE,
      version: '2017-09-12',
      query: { Bandwidth: '2', GeographicRegionAId: 'China', GeographicRegionBId: 'China', Name: 'a b' },
    });
    const response = await send({ ...good, target: good.target.replace('a%20b', 'a+b') });

    expect(response.json?.Code).toBe('SignatureDoesNotMatch');
    expect(cen.requests[0]?.params.Name).toBe('a+b');
  });

  it.each([
    ['a wrong secret', { ...DEV_CREDENTIALS, accessKeySecret: 'not-the-secret' }, 'SignatureDoesNotMatch', 400],
    ['an unknown AccessKeyId', { ...DEV_CREDENTIALS, accessKeyId: 'STS.Unknown' }, 'InvalidAccessKeyId.NotFound', 404],
    ['a wrong STS token', { ...DEV_CREDENTIALS, securityToken: 'CAIS+someone-elses-token' }, 'InvalidSecurityToken.MismatchWithAccessKey', 400],
    ['no STS token', { accessKeyId: DEV_CREDENTIALS.accessKeyId, accessKeySecret: DEV_CREDENTIALS.accessKeySecret }, 'MissingSecurityToken', 400],
  ])('refuses an SDK request with %s', async (_name, credentials, code, status) => {
    const failure = await sdkFailure(callCen(sdkClient(cen.url, credentials), CREATE, PLAN));

    expect(failure).toMatchObject({ code, statusCode: status });
    expect(failure.data).toMatchObject({ Code: code, HostId: 'cbn.aliyuncs.com', RequestId: expect.any(String), Recommend: expect.stringContaining(code) });
    expect(cen.requests).toMatchObject([{ verified: false, status, code }]);
    expect(cen.plans).toHaveLength(0);
  });

  it('refuses a replayed request (same nonce) and creates nothing the second time', async () => {
    const request = signedRequest({
      url: cen.url,
      credentials: DEV_CREDENTIALS,
      action: CREATE,
      version: '2017-09-12',
      query: { Bandwidth: '2', GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' },
    });

    const first = await send(request);
    const replay = await send(request);

    expect(first.status).toBe(200);
    expect(replay).toMatchObject({ status: 400, json: { Code: 'SignatureNonceUsed' } });
    expect(cen.plans).toHaveLength(1);
  });

  it.each([
    ['16 minutes slow', -16 * 60_000, 'InvalidTimeStamp.Expired'],
    ['16 minutes fast', 16 * 60_000, 'InvalidTimeStamp.Expired'],
  ])('refuses an x-acs-date %s', async (_name, offset, code) => {
    const response = await send(
      signedRequest({ url: cen.url, credentials: DEV_CREDENTIALS, action: DESCRIBE, version: '2017-09-12', date: acsDate(Date.now() + offset) }),
    );
    expect(response.json?.Code).toBe(code);
  });

  it('refuses an SDK request when the server clock is 20 minutes ahead', async () => {
    await cen.close();
    cen = await startCenDouble({ now: () => Date.now() + 20 * 60_000 });
    const failure = await sdkFailure(callCen(sdkClient(cen.url, DEV_CREDENTIALS), DESCRIBE, {}));
    expect(failure.code).toBe('InvalidTimeStamp.Expired');
  });

  it.each([
    ['a malformed x-acs-date', { date: '2025-01-02 03:04:05' }, {}, 'InvalidTimeStamp.Format'],
    ['an unsigned x-acs-* header', {}, { 'x-acs-extra': 'sneaky' }, 'IncompleteSignature'],
    ['another API version', { version: '2014-05-26' }, {}, 'NoSuchVersion'],
  ])('refuses %s', async (_name, options, unsignedHeaders, code) => {
    const request = signedRequest({ url: cen.url, credentials: DEV_CREDENTIALS, action: DESCRIBE, version: '2017-09-12', ...options });
    const response = await send({ ...request, headers: { ...request.headers, ...unsignedHeaders } });
    expect(response.json?.Code).toBe(code);
  });

  it('refuses a body that does not match x-acs-content-sha256', async () => {
    const request = signedRequest({ url: cen.url, credentials: DEV_CREDENTIALS, action: DESCRIBE, version: '2017-09-12' });
    const response = await send({ ...request, body: 'Bandwidth=100' });
    expect(response.json).toMatchObject({ Code: 'SignatureDoesNotMatch', Message: expect.stringContaining('x-acs-content-sha256') });
  });

  it('refuses a request without Authorization', async () => {
    const { authorization: _dropped, ...headers } = signedRequest({
      url: cen.url,
      credentials: DEV_CREDENTIALS,
      action: DESCRIBE,
      version: '2017-09-12',
    }).headers;
    const response = await send({ url: cen.url, method: 'POST', target: '/', headers });
    expect(response).toMatchObject({ status: 400, json: { Code: 'IncompleteSignature' } });
  });

  it('answers an unknown action with 404 InvalidAction.NotFound', async () => {
    const failure = await sdkFailure(callCen(sdkClient(cen.url, DEV_CREDENTIALS), 'DeleteCenBandwidthPackage', {}));
    expect(failure).toMatchObject({ code: 'InvalidAction.NotFound', statusCode: 404 });
  });
});

describe('CEN double: CreateCenBandwidthPackage', () => {
  beforeEach(async () => {
    cen = await startCenDouble();
  });
  const client = () => sdkClient(cen.url, DEV_CREDENTIALS);

  it('answers the same plan for the same ClientToken and parameters, with a new RequestId', async () => {
    const first = await callCen(client(), CREATE, { ...PLAN, ClientToken: 'tok-1' });
    const again = await callCen(client(), CREATE, { ...PLAN, ClientToken: 'tok-1' });

    expect(again.CenBandwidthPackageId).toBe(first.CenBandwidthPackageId);
    expect(again.CenBandwidthPackageOrderId).toBe(first.CenBandwidthPackageOrderId);
    expect(again.RequestId).not.toBe(first.RequestId);
    expect(cen.plans).toHaveLength(1);
    expect(cen.distinctClientTokens()).toBe(1);
  });

  it('refuses the same ClientToken with different parameters', async () => {
    await callCen(client(), CREATE, { ...PLAN, ClientToken: 'tok-2' });
    const failure = await sdkFailure(callCen(client(), CREATE, { ...PLAN, Bandwidth: 3, ClientToken: 'tok-2' }));

    expect(failure).toMatchObject({ code: 'IdempotenceParam.NotMatch', statusCode: 400 });
    expect(cen.plans).toHaveLength(1);
  });

  it('creates a new plan for every call without a ClientToken', async () => {
    await callCen(client(), CREATE, PLAN);
    await callCen(client(), CREATE, PLAN);

    expect(cen.plans).toHaveLength(2);
    expect(cen.distinctClientTokens()).toBe(0);
  });

  it.each([
    ['no Bandwidth', { GeographicRegionAId: 'China', GeographicRegionBId: 'China' }, 'MissingParameter'],
    ['no GeographicRegionBId', { Bandwidth: 2, GeographicRegionAId: 'China' }, 'MissingParameter'],
    ['Bandwidth 1', { ...PLAN, Bandwidth: 1 }, 'InvalidParameter'],
    ['Bandwidth 10001', { ...PLAN, Bandwidth: 10001 }, 'InvalidParameter'],
    ['Bandwidth 2.5', { ...PLAN, Bandwidth: 2.5 }, 'InvalidParameter'],
    ['an unknown area', { ...PLAN, GeographicRegionAId: 'Mars' }, 'InvalidParameter'],
    ['Period 4 months', { ...PLAN, Period: 4 }, 'InvalidParameter'],
  ])('refuses %s', async (_name, parameters, code) => {
    const failure = await sdkFailure(callCen(client(), CREATE, parameters));
    expect(failure).toMatchObject({ code, statusCode: 400 });
    expect(cen.plans).toHaveLength(0);
  });

  it('keeps a PREPAY plan without AutoPay=true Creating: it awaits payment in the console', async () => {
    await callCen(client(), CREATE, { ...PLAN, AutoPay: false });
    expect(cen.plans[0]?.Status).toBe('Creating');
  });
});

describe('CEN double: plan status and DescribeCenBandwidthPackages', () => {
  let clock = 0;
  beforeEach(async () => {
    clock = Date.parse('2025-01-02T03:04:05Z');
    cen = await startCenDouble({ now: () => clock, readyAfterMs: 30_000 });
  });
  const call = (action: string, query: Record<string, string>) =>
    send(signedRequest({ url: cen.url, credentials: DEV_CREDENTIALS, action, version: '2017-09-12', query, date: acsDate(clock) }));

  it('turns a new plan Idle after readyAfterMs, by the injected clock', async () => {
    const created = await call(CREATE, { Bandwidth: '2', GeographicRegionAId: 'China', GeographicRegionBId: 'Asia-Pacific', AutoPay: 'true', Name: 'first' });
    const id = String(created.json?.CenBandwidthPackageId);
    const filter = { 'Filter.1.Key': 'CenBandwidthPackageId', 'Filter.1.Value.1': id };

    const before = await call(DESCRIBE, filter);
    clock += 30_000;
    const after = await call(DESCRIBE, filter);

    expect(before.json).toMatchObject({ TotalCount: 1, PageNumber: 1, PageSize: 10, CenBandwidthPackages: { CenBandwidthPackage: [{ Status: 'Creating' }] } });
    expect(after.json).toEqual({
      CenBandwidthPackages: {
        CenBandwidthPackage: [
          {
            CenBandwidthPackageId: id,
            Name: 'first',
            Description: '',
            Bandwidth: 2,
            BandwidthPackageChargeType: 'PREPAY',
            Status: 'Idle',
            BusinessStatus: 'Normal',
            GeographicRegionAId: 'china',
            GeographicRegionBId: 'asia-pacific',
            GeographicSpanId: 'china_asia-pacific',
            CreationTime: '2025-01-02T03:04Z',
            ExpiredTime: '2025-02-02T03:04Z',
            IsCrossBorder: true,
            CenIds: { CenId: [] },
            Tags: { Tag: [] },
          },
        ],
      },
      TotalCount: 1,
      PageNumber: 1,
      PageSize: 10,
      RequestId: expect.any(String),
    });
  });

  it('filters by id (values ORed) and pages', async () => {
    const ids: string[] = [];
    for (const name of ['p1', 'p2', 'p3']) {
      const created = await call(CREATE, { Bandwidth: '2', GeographicRegionAId: 'China', GeographicRegionBId: 'China', AutoPay: 'true', Name: name });
      ids.push(String(created.json?.CenBandwidthPackageId));
    }

    const two = await call(DESCRIBE, { 'Filter.1.Key': 'CenBandwidthPackageId', 'Filter.1.Value.1': ids[0]!, 'Filter.1.Value.2': ids[2]! });
    const page2 = await call(DESCRIBE, { PageSize: '2', PageNumber: '2' });
    const none = await call(DESCRIBE, { 'Filter.1.Key': 'CenBandwidthPackageId', 'Filter.1.Value.1': 'cenbwp-doesnotexist00000' });

    expect(two.json?.TotalCount).toBe(2);
    expect((two.json?.CenBandwidthPackages as { CenBandwidthPackage: { Name: string }[] } | undefined)?.CenBandwidthPackage.map((p) => p.Name)).toEqual([
      'p1',
      'p3',
    ]);
    expect(page2.json).toMatchObject({ TotalCount: 3, PageNumber: 2, PageSize: 2, CenBandwidthPackages: { CenBandwidthPackage: [{ Name: 'p3' }] } });
    expect(none.json).toMatchObject({ TotalCount: 0, CenBandwidthPackages: { CenBandwidthPackage: [] } });
  });
});

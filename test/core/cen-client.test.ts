import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CenClient, type CreatePlanRequest } from '../../shared/clients/cen/client';
import { validateBandwidthPlan } from '../../shared/core/schema';
import { type HttpRequest, type HttpTransport, nodeHttpTransport } from '../../shared/runtime/http';
import { type CenDouble, type CenFault, startCenDouble } from '../doubles/cen';
import { DEV_CREDENTIALS } from '../doubles/credentials';

let cen: CenDouble;
let sent: HttpRequest[];
beforeEach(async () => {
  cen = await startCenDouble();
  sent = [];
});
afterEach(async () => {
  await cen.close();
});

/** The real transport, recording what was sent (to see each attempt's nonce and token). */
const recording: HttpTransport = (request) => {
  sent.push(request);
  return nodeHttpTransport(request);
};

const client = (policy = {}) =>
  new CenClient({
    endpoint: cen.url,
    transport: recording,
    retryPolicy: { baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 400, maxAttempts: 4, ...policy },
  });

function plan(token: string): CreatePlanRequest {
  const validation = validateBandwidthPlan({ Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe', Name: 'bwp-test' });
  if (!validation.ok) throw new Error('fixture is invalid');
  return { ...validation.request, ClientToken: token };
}

const call = (ms = 10_000) => ({ credentials: DEV_CREDENTIALS, deadline: Date.now() + ms });
const creates = () => cen.requests.filter((request) => request.action === 'CreateCenBandwidthPackage');
const sentCreates = () => sent.filter((request) => request.headers['x-acs-action'] === 'CreateCenBandwidthPackage');

describe('CreateCenBandwidthPackage', () => {
  it('sends a verified RPC call: POST /, parameters in the query, empty body, STS token', async () => {
    const created = await client().createBandwidthPackage(plan('tok-1'), call());

    expect(created.CenBandwidthPackageId).toBe(cen.plans[0]!.id);
    expect(created.CenBandwidthPackageOrderId).toBe(cen.plans[0]!.orderId);
    const [request] = creates();
    expect(request).toMatchObject({ method: 'POST', path: '/', verified: true });
    expect(sent[0]!.url.search).toMatch(/^\?AutoPay=false&Bandwidth=10&/);
    expect(request!.body.length).toBe(0);
    expect(request!.params).toMatchObject({ Bandwidth: '10', ClientToken: 'tok-1', Name: 'bwp-test', AutoPay: 'false' });
    expect(sent[0]!.headers).toMatchObject({
      'x-acs-version': '2017-09-12',
      'x-acs-security-token': DEV_CREDENTIALS.securityToken,
      accept: 'application/json',
    });
  });

  it.each<[string, CenFault]>([
    ['throttling', 'throttling'],
    ['503 ServiceUnavailable', 'unavailable'],
    ['500 InternalError', 'internal'],
    ['Operation.Blocking', 'blocking'],
    ['a connection reset', 'reset'],
    ['a hang past the attempt timeout', 'hang'],
    ['created, then the connection dropped', 'drop-after-success'],
  ])('retries after %s with the same ClientToken and a fresh nonce: exactly one plan', async (_name, fault) => {
    cen.inject(fault, { times: 2, action: 'CreateCenBandwidthPackage' });

    const created = await client().createBandwidthPackage(plan('tok-retry'), call());

    expect(sentCreates()).toHaveLength(3);
    expect(new Set(sentCreates().map((request) => request.url.searchParams.get('ClientToken')))).toEqual(new Set(['tok-retry']));
    expect(new Set(sentCreates().map((request) => request.headers['x-acs-signature-nonce'])).size).toBe(3);
    expect(cen.plans).toHaveLength(1);
    expect(created.CenBandwidthPackageId).toBe(cen.plans[0]!.id);
  });

  it.each([
    ['InvalidParameter', 400],
    ['UnSupported.ChargeType', 400],
    ['Forbidden.RAM', 403],
    ['SignatureDoesNotMatch', 400],
    ['IdempotenceParam.NotMatch', 400],
    ['OperationInvalid.UserCanNotBuyCrossBorderBwp', 400],
    ['PayFor.AccountMoneyValidateError', 500],
  ])('never retries %s; the error carries the upstream code and request id', async (code, status) => {
    cen.inject({ code, status, message: `${code} happened` }, { action: 'CreateCenBandwidthPackage' });

    const failure = client().createBandwidthPackage(plan('tok-final'), call());

    // CEN's own message first; for UnSupported.ChargeType, what to do about it after.
    await expect(failure).rejects.toMatchObject({
      code,
      retryable: false,
      upstreamStatus: status,
      message: expect.stringMatching(new RegExp(`^${code} happened`)),
    });
    await expect(failure).rejects.toHaveProperty('requestId', expect.stringMatching(/\S+/));
    expect(creates()).toHaveLength(1);
  });

  it('says what to do when CEN refuses the charge type (most accounts can buy PREPAY only)', async () => {
    cen.inject({ code: 'UnSupported.ChargeType', status: 400, message: 'The charge type is not supported.' }, { action: 'CreateCenBandwidthPackage' });

    await expect(client().createBandwidthPackage(plan('tok-charge'), call())).rejects.toMatchObject({
      code: 'UnSupported.ChargeType',
      message:
        'The charge type is not supported. This account cannot buy that charge type (most can buy only PREPAY): send BandwidthPackageChargeType PREPAY with a Period, or have the owner set DEFAULT_CHARGE_TYPE=PREPAY. Nothing was bought.',
    });
  });

  it('answers IdempotenceParam.NotMatch when a token is reused with other parameters', async () => {
    await client().createBandwidthPackage(plan('tok-same'), call());

    await expect(client().createBandwidthPackage({ ...plan('tok-same'), Bandwidth: 20 }, call())).rejects.toMatchObject({
      code: 'IdempotenceParam.NotMatch',
      status: 409,
    });
    expect(cen.plans).toHaveLength(1);
  });

  it('stops at the deadline: no attempt starts after it, the error says so', async () => {
    cen.inject('hang', { times: Infinity, action: 'CreateCenBandwidthPackage' });

    const started = Date.now();
    await expect(client({ attemptTimeoutMs: 10_000 }).createBandwidthPackage(plan('tok-late'), call(600))).rejects.toMatchObject({
      code: 'DeadlineExceeded',
    });
    const last = Math.max(...creates().map((request) => request.receivedAt));
    expect(last).toBeLessThanOrEqual(started + 600);
  });

  it('gives up after maxAttempts with the last upstream error', async () => {
    cen.inject('throttling', { times: Infinity, action: 'CreateCenBandwidthPackage' });

    await expect(client().createBandwidthPackage(plan('tok-busy'), call())).rejects.toMatchObject({ code: 'Throttling.User', retryable: true });
    expect(creates()).toHaveLength(4);
  });
});

describe('DescribeCenBandwidthPackages', () => {
  it('finds a plan by id, and answers undefined for an unknown id', async () => {
    const created = await client().createBandwidthPackage(plan('tok-d'), call());

    const status = await client().describeBandwidthPackage(created.CenBandwidthPackageId, call());
    const missing = await client().describeBandwidthPackage('cenbwp-doesnotexist0', call());

    expect(status).toMatchObject({ CenBandwidthPackageId: created.CenBandwidthPackageId, Status: 'Idle', Bandwidth: 10, Name: 'bwp-test' });
    expect(missing).toBeUndefined();
    expect(cen.requests.every((request) => request.verified)).toBe(true);
  });
});

describe('credentials', () => {
  it('is refused by the double when the secret is wrong (independent verification)', async () => {
    const wrong = { ...DEV_CREDENTIALS, accessKeySecret: 'not-the-secret' };
    await expect(client().createBandwidthPackage(plan('tok-x'), { credentials: wrong, deadline: Date.now() + 5_000 })).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    expect(cen.plans).toHaveLength(0);
  });
});

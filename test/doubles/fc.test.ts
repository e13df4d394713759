import { afterEach, describe, expect, it } from 'vitest';
import { signedRequest } from '../oracles/acs3-reference';
import { invokeFunction, sdkClient, sdkFailure } from '../oracles/openapi-sdk';
import { send } from '../support/raw-http';
import { until } from '../support/wait';
import { DEV_CREDENTIALS } from './credentials';
import { type FcDouble, type FcDoubleOptions, type InvocationInfo, startFcDouble } from './fc';

const FUNCTION = 'create-bandwidth-plan';
const EVENT = Buffer.from('{"Bandwidth":2,"GeographicRegionAId":"China","GeographicRegionBId":"Europe"}');

let fc: FcDouble;
afterEach(async () => fc.close());

async function start(options: FcDoubleOptions = {}): Promise<FcDouble> {
  fc = await startFcDouble(options);
  return fc;
}

const client = () => sdkClient(fc.url, DEV_CREDENTIALS);
const invokeRequest = (headers: Record<string, string> = {}) =>
  signedRequest({
    url: fc.url,
    credentials: DEV_CREDENTIALS,
    action: 'InvokeFunction',
    version: '2023-03-30',
    path: `/2023-03-30/functions/${FUNCTION}/invocations`,
    body: EVENT,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });

describe('FC double: InvokeFunction', () => {
  it('runs a synchronous invocation from the official SDK and answers the handler’s JSON result', async () => {
    const calls: [string, string, InvocationInfo][] = [];
    await start({
      onInvoke: (name, body, info) => {
        calls.push([name, body.toString(), info]);
        return { statusCode: 201, ok: true };
      },
    });

    const response = await invokeFunction(client(), FUNCTION, EVENT, 'Sync');

    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual({ statusCode: 201, ok: true });
    expect(calls).toEqual([[FUNCTION, EVENT.toString(), { async: false, requestId: expect.any(String), attempt: 1, qualifier: 'LATEST' }]]);
    expect(fc.requests).toMatchObject([{ verified: true, status: 200, action: 'InvokeFunction', params: { qualifier: 'LATEST' } }]);
    expect(fc.invocations).toMatchObject([{ functionName: FUNCTION, async: false, state: 'succeeded', attempts: 1 }]);
  });

  it('accepts an async invocation with 202 and x-fc-request-id before the function runs', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await start({ onInvoke: () => gate });

    const response = await invokeFunction(client(), FUNCTION, EVENT, 'Async');

    expect(response.statusCode).toBe(202);
    expect(response.headers['x-fc-request-id']).toBe(fc.invocations[0]?.requestId);
    expect(fc.invocations[0]?.state).toBe('running');
    release();
    await fc.idle();
    expect(fc.invocations[0]).toMatchObject({ state: 'succeeded', attempts: 1, async: true });
  });

  it('retries a failing async invocation maxAsyncRetries times, recording each error', async () => {
    let runs = 0;
    await start({
      maxAsyncRetries: 2,
      onInvoke: () => {
        runs += 1;
        throw new Error(`run ${runs} failed`);
      },
    });

    await send(invokeRequest({ 'x-fc-invocation-type': 'Async' }));
    await fc.idle();

    expect(runs).toBe(3);
    expect(fc.invocations[0]).toMatchObject({ state: 'failed', attempts: 3 });
    expect(fc.invocations[0]?.errors.map((e) => (e as Error).message)).toEqual(['run 1 failed', 'run 2 failed', 'run 3 failed']);
  });

  it('stops retrying once an attempt succeeds, passing the attempt number', async () => {
    const attempts: number[] = [];
    await start({
      onInvoke: (_name, _body, info) => {
        attempts.push(info.attempt);
        if (info.attempt < 2) throw new Error('transient');
        return 'done';
      },
    });

    await send(invokeRequest({ 'x-fc-invocation-type': 'Async' }));
    await fc.idle();

    expect(attempts).toEqual([1, 2]);
    expect(fc.invocations[0]).toMatchObject({ state: 'succeeded', result: 'done', attempts: 2 });
  });

  it('answers a synchronous function error as FC does: 200 with x-fc-error-type, never retried', async () => {
    await start({
      onInvoke: () => {
        throw new TypeError('boom');
      },
    });

    const response = await send(invokeRequest());

    expect(response.status).toBe(200);
    expect(response.headers['x-fc-error-type']).toBe('UnhandledInvocationError');
    expect(response.json).toEqual({ errorMessage: 'boom', errorType: 'TypeError' });
    expect(fc.invocations[0]).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('answers 404 FunctionNotFound for a function not listed', async () => {
    await start({ functions: ['another-function'] });
    const failure = await sdkFailure(invokeFunction(client(), FUNCTION, EVENT, 'Sync'));
    expect(failure).toMatchObject({ code: 'FunctionNotFound', statusCode: 404 });
    expect(fc.invocations).toHaveLength(0);
  });
});

describe('FC double: authentication', () => {
  it.each([
    ['a wrong secret', { ...DEV_CREDENTIALS, accessKeySecret: 'forged' }, 'SignatureDoesNotMatch'],
    ['a wrong STS token', { ...DEV_CREDENTIALS, securityToken: 'CAIS+other' }, 'InvalidSecurityToken.MismatchWithAccessKey'],
  ])('refuses an SDK invocation with %s and runs nothing', async (_name, credentials, code) => {
    let runs = 0;
    await start({ onInvoke: () => (runs += 1) });
    const failure = await sdkFailure(invokeFunction(sdkClient(fc.url, credentials), FUNCTION, EVENT, 'Async'));
    await fc.idle();

    expect(failure.code).toBe(code);
    expect(runs).toBe(0);
    expect(fc.requests).toMatchObject([{ verified: false, code }]);
  });

  it('refuses a body swapped after signing', async () => {
    await start();
    const response = await send({ ...invokeRequest(), body: '{"Bandwidth":10000}' });
    expect(response.json?.Code).toBe('SignatureDoesNotMatch');
    expect(fc.invocations).toHaveLength(0);
  });

  it('refuses an unsigned content-type', async () => {
    await start();
    const request = signedRequest({
      url: fc.url,
      credentials: DEV_CREDENTIALS,
      action: 'InvokeFunction',
      version: '2023-03-30',
      path: `/2023-03-30/functions/${FUNCTION}/invocations`,
      body: EVENT,
    });
    const response = await send({ ...request, headers: { ...request.headers, 'content-type': 'application/json' } });
    expect(response.json?.Code).toBe('IncompleteSignature');
  });

  it('refuses another API version', async () => {
    await start();
    const request = signedRequest({
      url: fc.url,
      credentials: DEV_CREDENTIALS,
      action: 'InvokeFunction',
      version: '2021-04-06',
      path: `/2023-03-30/functions/${FUNCTION}/invocations`,
      body: EVENT,
    });
    expect((await send(request)).json?.Code).toBe('NoSuchVersion');
  });
});

describe('FC double: injected faults', () => {
  it.each([
    ['throttling', 429, 'ResourceThrottled'],
    ['unavailable', 503, 'ServiceUnavailable'],
    ['internal', 500, 'InternalError'],
  ] as const)('%s answers %i %s and invokes nothing', async (fault, status, code) => {
    await start();
    fc.inject(fault);

    const response = await send(invokeRequest({ 'x-fc-invocation-type': 'Async' }));

    expect(response.status).toBe(status);
    expect(response.json).toMatchObject({ Code: code, RequestId: expect.any(String) });
    expect(response.headers['x-fc-request-id']).toBe(response.json?.RequestId);
    expect(fc.invocations).toHaveLength(0);
  });

  it('reset drops the connection and invokes nothing', async () => {
    await start();
    fc.inject('reset');
    await expect(send(invokeRequest({ 'x-fc-invocation-type': 'Async' }))).rejects.toThrow();
    expect(fc.invocations).toHaveLength(0);
  });

  it('drop-after-success queues the async invocation, then drops the connection', async () => {
    let runs = 0;
    await start({ onInvoke: () => (runs += 1) });
    fc.inject('drop-after-success');

    await expect(send(invokeRequest({ 'x-fc-invocation-type': 'Async' }))).rejects.toThrow();
    await fc.idle();

    expect(runs).toBe(1);
    expect(fc.requests).toMatchObject([{ fault: 'drop-after-success', status: undefined }]);
  });

  it('hang leaves the request unanswered until close()', async () => {
    await start();
    fc.inject('hang');
    const pending = send(invokeRequest(), 10_000);
    await until(() => fc.requests.length === 1);
    await fc.close();
    await expect(pending).rejects.toThrow();
  });
});

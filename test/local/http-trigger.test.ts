/**
 * The local HTTP trigger builds the event FC 3.0 delivers (docs/sources.md, "Function Compute") and writes the
 * handler's answer back.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isTextual, joinHeaders, joinQuery, type TriggerRequest, toHttpTriggerEvent, writeHttpTriggerResponse } from '../../local/http-trigger';

const NOW = new Date('2025-01-02T03:04:05.678Z');

const request = (overrides: Partial<TriggerRequest>): TriggerRequest => ({
  method: 'POST',
  target: '/bandwidth-plans',
  rawHeaders: ['Host', '127.0.0.1:9000', 'Content-Type', 'application/json', 'User-Agent', 'curl/8.5.0'],
  httpVersion: '1.1',
  body: Buffer.from('{"Bandwidth":2}'),
  sourceIp: '127.0.0.1',
  ...overrides,
});

describe('toHttpTriggerEvent', () => {
  it('has the shape of an FC 3.0 HTTP trigger event', () => {
    const event = toHttpTriggerEvent(request({ target: '/bandwidth-plans/cenbwp-a%2Fb?dryRun=true&tag=a&tag=b' }), '1234567890123456', NOW);
    expect(event).toEqual({
      version: 'v1',
      rawPath: '/bandwidth-plans/cenbwp-a%2Fb',
      headers: { Host: '127.0.0.1:9000', 'Content-Type': 'application/json', 'User-Agent': 'curl/8.5.0' },
      queryParameters: { dryRun: 'true', tag: 'a,b' },
      body: '{"Bandwidth":2}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '1234567890123456',
        domainName: '127.0.0.1:9000',
        http: { method: 'POST', path: '/bandwidth-plans/cenbwp-a/b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.5.0' },
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        time: '2025-01-02T03:04:05Z',
        timeEpoch: String(NOW.getTime()),
      },
    });
  });

  it('passes a binary body as Base64', () => {
    const body = Buffer.from([0, 255, 1, 254]);
    const event = toHttpTriggerEvent(request({ rawHeaders: ['Content-Type', 'application/octet-stream'], body }), '1', NOW);
    expect(event).toMatchObject({ body: body.toString('base64'), isBase64Encoded: true });
  });

  it('passes an empty body as an empty string, whatever the content type', () => {
    const event = toHttpTriggerEvent(request({ method: 'GET', rawHeaders: [], body: Buffer.alloc(0) }), '1', NOW);
    expect(event).toMatchObject({ body: '', isBase64Encoded: false, headers: {}, requestContext: { domainName: '127.0.0.1', http: { userAgent: '' } } });
  });
});

describe('isTextual', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['application/cloudevents+json', true],
    ['application/x-www-form-urlencoded', true],
    ['text/plain', true],
    ['application/xml', true],
    ['application/octet-stream', false],
    ['multipart/form-data; boundary=x', false],
    ['image/png', false],
    [undefined, false],
  ])('%s → %s', (type, textual) => {
    expect(isTextual(type)).toBe(textual);
  });
});

describe('joinHeaders and joinQuery', () => {
  it('writes names as Go does and comma-joins repeated headers in any casing, as FC does', () => {
    expect(joinHeaders(['accept', 'a', 'x-webhook-SIGNATURE', '1', 'ACCEPT', 'b', 'content-type', 'text/plain'])).toEqual({
      Accept: 'a,b',
      'X-Webhook-Signature': '1',
      'Content-Type': 'text/plain',
    });
  });

  it('decodes the query and comma-joins repeated names', () => {
    expect(joinQuery('a=1&b=x%20y&a=2&c=')).toEqual({ a: '1,2', b: 'x y', c: '' });
  });
});

describe('writeHttpTriggerResponse', () => {
  const capture = () => {
    const written: { status?: number; headers?: unknown; body?: Buffer } = {};
    const response = {
      writeHead(status: number, headers: unknown) {
        written.status = status;
        written.headers = headers;
        return this;
      },
      end(body: Buffer | string) {
        written.body = Buffer.from(body);
      },
    } as unknown as ServerResponse;
    return { response, written };
  };

  it('writes the status, headers and body of the answer', () => {
    const { response, written } = capture();
    writeHttpTriggerResponse(response, { statusCode: 409, headers: { 'content-type': 'application/json' }, isBase64Encoded: false, body: '{"error":{}}' });
    expect(written).toEqual({ status: 409, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"error":{}}') });
  });

  it('decodes a Base64 body', () => {
    const { response, written } = capture();
    writeHttpTriggerResponse(response, { statusCode: 200, headers: {}, isBase64Encoded: true, body: Buffer.from([1, 2, 3]).toString('base64') });
    expect(written.body).toEqual(Buffer.from([1, 2, 3]));
  });

  it('sends any other result as JSON with 200, as FC converts a handler result', () => {
    const { response, written } = capture();
    writeHttpTriggerResponse(response, [{ outcome: 'created' }]);
    expect(written).toEqual({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from('[{"outcome":"created"}]') });
  });
});

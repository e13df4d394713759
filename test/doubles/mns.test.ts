import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mnsSdkClient } from '../oracles/mns-sdk';
import { type RawRequest, send } from '../support/raw-http';
import { until } from '../support/wait';
import { type CloudCredential, DEV_CREDENTIALS } from './credentials';
import { type MnsDouble, startMnsDouble } from './mns';

const TOPIC = 'bandwidth-plan-events';
const xmlOf = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mns.aliyuncs.com/doc/v1/">${inner}</Message>`;

interface PublishOptions {
  readonly topic?: string;
  readonly xml?: string;
  readonly credentials?: CloudCredential;
  readonly date?: Date;
  /** Send Content-MD5 (SDK form) over this body instead of the real one. */
  readonly md5Of?: string;
  readonly token?: string | null;
}

/** A publish signed by `@alicloud/mns`'s own sign(), sent as the product would send it (no Content-MD5 by default). */
function signedPublish(url: string, options: PublishOptions = {}): RawRequest {
  const credentials = options.credentials ?? DEV_CREDENTIALS;
  const resource = `/topics/${options.topic ?? TOPIC}/messages`;
  const xml = options.xml ?? xmlOf('<MessageBody>hello topic</MessageBody>');
  const headers: Record<string, string> = {
    host: new URL(url).host,
    date: (options.date ?? new Date()).toUTCString(),
    'content-type': 'text/xml;charset=utf-8',
    'x-mns-version': '2015-06-06',
  };
  if (options.md5Of !== undefined) headers['content-md5'] = Buffer.from(createHash('md5').update(options.md5Of).digest('hex')).toString('base64');
  headers.authorization = `MNS ${credentials.accessKeyId}:${mnsSdkClient(url, credentials).sign('POST', headers, resource)}`;
  const token = options.token === undefined ? credentials.securityToken : options.token;
  if (token !== null && token !== undefined) headers['security-token'] = token;
  return { url, method: 'POST', target: resource, headers, body: xml };
}

let mns: MnsDouble;
beforeEach(async () => {
  mns = await startMnsDouble();
});
afterEach(async () => mns.close());

describe('MNS double: authentication', () => {
  it('accepts a publish from the official @alicloud/mns client with STS credentials', async () => {
    const result = await mnsSdkClient(mns.url, DEV_CREDENTIALS).publishMessage(TOPIC, { MessageBody: '{"outcome":"created"}', MessageTag: 'created' });

    expect(result.code).toBe(201);
    expect(result.body.MessageId).toMatch(/^[0-9A-F]{16}-1-[0-9A-F]+-\d+$/);
    expect(result.body.MessageBodyMD5).toBe(createHash('md5').update('{"outcome":"created"}').digest('hex').toUpperCase());
    expect(mns.messages).toMatchObject([{ topic: TOPIC, body: '{"outcome":"created"}', tag: 'created', messageId: result.body.MessageId }]);
    expect(mns.requests).toMatchObject([{ action: 'PublishMessage', topic: TOPIC, verified: true, status: 201, accessKeyId: DEV_CREDENTIALS.accessKeyId }]);
  });

  it('accepts a publish without Content-MD5 and answers 201 with the service’s XML and request id', async () => {
    const response = await send(signedPublish(mns.url));

    expect(response.status).toBe(201);
    expect(response.headers['x-mns-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(response.headers['content-type']).toBe('text/xml;charset=utf-8');
    expect(response.text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Message xmlns="http:\/\/mns.aliyuncs.com\/doc\/v1\/"><MessageId>[^<]+<\/MessageId><MessageBodyMD5>[0-9A-F]{32}<\/MessageBodyMD5><\/Message>$/,
    );
  });

  it.each([
    ['a wrong secret', { credentials: { ...DEV_CREDENTIALS, accessKeySecret: 'forged' } }, 403, 'SignatureDoesNotMatch'],
    ['an unknown AccessKeyId', { credentials: { ...DEV_CREDENTIALS, accessKeyId: 'STS.Nobody' } }, 403, 'InvalidAccessKeyId'],
    ['a Date 16 minutes old', { date: new Date(Date.now() - 16 * 60_000) }, 408, 'TimeExpired'],
    ['a wrong security-token', { token: 'CAIS+not-mine' }, 403, 'SecurityTokenMismatch'],
    ['no security-token for an STS key', { token: null }, 403, 'SecurityTokenMismatch'],
    ['a Content-MD5 of another body', { md5Of: 'something else' }, 400, 'InvalidDegist'],
  ] as const)('refuses %s', async (_name, options, status, code) => {
    const response = await send(signedPublish(mns.url, options));

    expect(response.status).toBe(status);
    expect(response.text).toContain(`<Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>${code}</Code><Message>`);
    expect(response.text).toMatch(/<RequestId>[0-9A-F]{24}<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
    expect(mns.requests).toMatchObject([{ verified: false, status, code }]);
    expect(mns.messages).toHaveLength(0);
  });

  it('accepts a matching SDK-form Content-MD5', async () => {
    const xml = xmlOf('<MessageBody>x</MessageBody>');
    expect((await send(signedPublish(mns.url, { xml, md5Of: xml }))).status).toBe(201);
  });

  it.each([
    ['no Authorization', (r: RawRequest) => ({ ...r, headers: withoutAuthorization(r.headers) }), 'MissingAuthorizationHeader'],
    ['an empty Authorization', (r: RawRequest) => ({ ...r, headers: { ...r.headers, authorization: '' } }), 'InvalidAuthorizationHeader'],
    ['an OpenAPI-style Authorization', (r: RawRequest) => ({ ...r, headers: { ...r.headers, authorization: 'acs STS.x:abc' } }), 'InvalidAuthorizationHeader'],
    ['a path other than the one signed', (r: RawRequest) => ({ ...r, target: '/topics/other-topic/messages' }), 'SignatureDoesNotMatch'],
    ['a non-RFC 1123 Date', (r: RawRequest) => ({ ...r, headers: { ...r.headers, date: '2025-01-02T03:04:05Z' } }), 'InvalidDateHeader'],
    ['another x-mns-version', (r: RawRequest) => ({ ...r, headers: { ...r.headers, 'x-mns-version': '2014-01-01' } }), 'InvalidVersionHeader'],
  ])('refuses %s', async (_name, tamper, code) => {
    const response = await send(tamper(signedPublish(mns.url)));
    expect(response.text).toContain(`<Code>${code}</Code>`);
  });
});

describe('MNS double: PublishMessage', () => {
  it('stores the unescaped body: XML entities round-trip', async () => {
    const body = '{"data":{"Description":"A & B <edge> \\"q\\" \'a\'"}}';
    const escaped = body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const response = await send(signedPublish(mns.url, { xml: xmlOf(`<MessageBody>${escaped}</MessageBody><MessageTag>created</MessageTag>`) }));

    expect(response.status).toBe(201);
    expect(mns.messages[0]).toMatchObject({ body, tag: 'created' });
    expect(response.text).toContain(`<MessageBodyMD5>${createHash('md5').update(body).digest('hex').toUpperCase()}</MessageBodyMD5>`);
  });

  it.each([
    ['a raw <', xmlOf('<MessageBody>a < b</MessageBody>'), 400, 'MalformedXML'],
    ['a bare & (as @alicloud/mns sends it)', xmlOf('<MessageBody>A & B</MessageBody>'), 400, 'MalformedXML'],
    ['not XML at all', '{"MessageBody":"x"}', 400, 'MalformedXML'],
    ['an empty body', xmlOf('<MessageBody></MessageBody>'), 400, 'InvalidArgument'],
    ['a body over 65536 bytes', xmlOf(`<MessageBody>${'x'.repeat(65_537)}</MessageBody>`), 400, 'InvalidArgument'],
    ['a tag over 16 characters', xmlOf('<MessageBody>x</MessageBody><MessageTag>seventeen-chars-x</MessageTag>'), 400, 'InvalidArgument'],
  ])('refuses %s', async (_name, xml, status, code) => {
    const response = await send(signedPublish(mns.url, { xml }));

    expect(response.status).toBe(status);
    expect(response.text).toContain(`<Code>${code}</Code>`);
    expect(mns.requests).toMatchObject([{ verified: true, status, code }]);
    expect(mns.messages).toHaveLength(0);
  });

  it('accepts a body of exactly 65536 bytes', async () => {
    expect((await send(signedPublish(mns.url, { xml: xmlOf(`<MessageBody>${'x'.repeat(65_536)}</MessageBody>`) }))).status).toBe(201);
  });

  it('answers 404 TopicNotExist for a topic not configured', async () => {
    const response = await send(signedPublish(mns.url, { topic: 'no-such-topic' }));
    expect(response.status).toBe(404);
    expect(response.text).toContain('<Code>TopicNotExist</Code>');
  });

  it('serves the topics it is given', async () => {
    await mns.close();
    mns = await startMnsDouble({ topics: ['audit'] });
    expect((await send(signedPublish(mns.url, { topic: 'audit' }))).status).toBe(201);
    expect((await send(signedPublish(mns.url))).status).toBe(404);
  });
});

describe('MNS double: injected faults', () => {
  it.each([
    ['throttling', 400, 'QpsLimitExceeded'],
    ['unavailable', 503, 'ServiceUnavailable'],
    ['internal', 500, 'InternalError'],
  ] as const)('%s answers %i %s and stores nothing; the next publish succeeds', async (fault, status, code) => {
    mns.inject(fault);

    const failed = await send(signedPublish(mns.url));
    const next = await send(signedPublish(mns.url));

    expect(failed.status).toBe(status);
    expect(failed.text).toContain(`<Code>${code}</Code>`);
    expect(next.status).toBe(201);
    expect(mns.messages).toHaveLength(1);
    expect(mns.requests.map((r) => r.fault)).toEqual([fault, undefined]);
  });

  it('answers any { code, status } fault', async () => {
    mns.inject({ code: 'AccessDenied', status: 403, message: 'no mns:PublishMessage' }, { action: 'PublishMessage' });
    const response = await send(signedPublish(mns.url));
    expect(response.status).toBe(403);
    expect(response.text).toContain('<Code>AccessDenied</Code><Message>no mns:PublishMessage</Message>');
  });

  it('reset drops the connection and stores nothing', async () => {
    mns.inject('reset');
    await expect(send(signedPublish(mns.url))).rejects.toThrow();
    expect(mns.messages).toHaveLength(0);
  });

  it('drop-after-success stores the message, then drops the connection', async () => {
    mns.inject('drop-after-success');
    await expect(send(signedPublish(mns.url))).rejects.toThrow();
    expect(mns.messages).toHaveLength(1);
    expect(mns.requests).toMatchObject([{ verified: true, status: undefined, fault: 'drop-after-success' }]);
  });

  it('hang never answers until close()', async () => {
    mns.inject('hang', { times: Infinity });
    const pending = send(signedPublish(mns.url), 10_000);
    await until(() => mns.requests.length === 1);
    await mns.close();
    await expect(pending).rejects.toThrow();
  });
});

function withoutAuthorization(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'authorization'));
}

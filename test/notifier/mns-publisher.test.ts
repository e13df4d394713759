import { afterEach, describe, expect, it } from 'vitest';
import { defaultMnsEndpoint, MnsPublisher, type MnsPublisherOptions, parsePublishResponse } from '../../shared/clients/mns/publisher';
import { classifyUpstream, DeadlineExceededError, NetworkError, ProductError, UpstreamError } from '../../shared/core/errors';
import { type Clock, systemClock } from '../../shared/runtime/clock';
import { createLogger } from '../../shared/runtime/log';
import { type MnsTestServer, mnsErrorReply, type Reply, startMnsTestServer } from './mns-test-server';

const CREDENTIALS = {
  accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2Exa',
  accessKeySecret: 'TestAccessSecret-do-not-leak',
  securityToken: 'CAIS+testToken/With+Special=Chars',
};
const TOPIC = 'bandwidth-plan-events';
const START = Date.parse('2025-01-02T03:04:05Z');

/** Virtual time: sleeping moves it on at once, so back-offs cost nothing and each attempt gets its own Date. */
function virtualClock(): Clock {
  let now = START;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    random: () => 0.5,
  };
}

let server: MnsTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function publisherFor(replies: readonly Reply[], options: Partial<MnsPublisherOptions> = {}) {
  server = await startMnsTestServer({ accessKeySecret: CREDENTIALS.accessKeySecret, replies });
  const lines: string[] = [];
  const publisher = new MnsPublisher({
    endpoint: server.endpoint,
    topic: TOPIC,
    clock: virtualClock(),
    // Back-off of up to 2 s (virtual) per retry, so consecutive attempts carry different Date headers.
    retryPolicy: { baseDelayMs: 2_000, attemptTimeoutMs: 2_000 },
    log: createLogger({ write: (line) => lines.push(line) }),
    ...options,
  });
  return { publisher, server, lines };
}

const call = (deadline = START + 60_000) => ({ credentials: CREDENTIALS, deadline });

describe('MnsPublisher.publish', () => {
  it('sends one signed PublishMessage and returns the MessageId', async () => {
    // Prepare
    const { publisher, server } = await publisherFor([]);
    const body = '{"specversion":"1.0","data":{"Description":"A & B <edge>"}}';

    // Act
    const published = await publisher.publish({ body, tag: 'created' }, call());

    // Assess
    expect(published).toEqual({ messageId: 'msg-1', requestId: 'req-1' });
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    const port = new URL(server.endpoint).port;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/topics/bandwidth-plan-events/messages',
      signatureValid: true,
      message: { body, tag: 'created' },
    });
    expect(request!.headers).toMatchObject({
      host: `127.0.0.1:${port}`,
      date: 'Thu, 02 Jan 2025 03:04:05 GMT',
      'content-type': 'text/xml;charset=utf-8',
      'content-length': String(Buffer.byteLength(request!.body)),
      'x-mns-version': '2015-06-06',
      'security-token': 'CAIS+testToken/With+Special=Chars',
    });
    expect(request!.headers.authorization).toMatch(/^MNS STS\.NUgYrLnoC37mZZCNnAbez2Exa:[A-Za-z0-9+/]{27}=$/);
    expect(request!.headers).not.toHaveProperty('content-md5');
    expect(request!.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mns.aliyuncs.com/doc/v1/"><MessageBody>` +
        `{"specversion":"1.0","data":{"Description":"A &amp; B &lt;edge&gt;"}}</MessageBody><MessageTag>created</MessageTag></Message>`,
    );
  });

  it('sends no security-token without an STS token', async () => {
    const { publisher, server } = await publisherFor([]);

    await publisher.publish({ body: 'x', tag: 'failed' }, { ...call(), credentials: { accessKeyId: 'LTAI-id', accessKeySecret: CREDENTIALS.accessKeySecret } });

    expect(server.received[0]!.signatureValid).toBe(true);
    expect(server.received[0]!.headers).not.toHaveProperty('security-token');
    expect(server.received[0]!.headers.authorization).toMatch(/^MNS LTAI-id:/);
  });

  it('carries XML-special, Chinese and emoji text intact to the server', async () => {
    const { publisher, server } = await publisherFor([]);
    const body = JSON.stringify({ Name: '带宽包_a<b>', Description: `A & B </MessageBody> "q" 'a' &amp; 🚀`, Tag: [{ Key: 'k&', Value: '<v>' }] });

    await publisher.publish({ body, tag: 'rejected' }, call());

    expect(server.received[0]!.message).toEqual({ body, tag: 'rejected' });
    expect(server.received[0]!.signatureValid).toBe(true);
  });

  it('retries QpsLimitExceeded with a freshly dated, freshly signed request', async () => {
    const { publisher, server, lines } = await publisherFor([mnsErrorReply(503, 'QpsLimitExceeded')]);

    const published = await publisher.publish({ body: 'x', tag: 'created' }, call());

    expect(published).toEqual({ messageId: 'msg-2', requestId: 'req-2' });
    expect(server.received.map((request) => [request.headers.date, request.signatureValid])).toEqual([
      ['Thu, 02 Jan 2025 03:04:05 GMT', true],
      ['Thu, 02 Jan 2025 03:04:06 GMT', true],
    ]);
    expect(server.received[0]!.headers.authorization).not.toBe(server.received[1]!.headers.authorization);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      {
        level: 'warn',
        message: 'retrying MNS PublishMessage',
        topic: TOPIC,
        attempt: 1,
        delayMs: 1_000,
        code: 'QpsLimitExceeded',
        upstreamRequestId: 'err-QpsLimitExceeded',
      },
    ]);
  });

  it.each<{ name: string; reply: Reply }>([
    { name: 'QpsLimitExceeded as 429', reply: mnsErrorReply(429, 'QpsLimitExceeded') },
    { name: 'InternalError', reply: mnsErrorReply(500, 'InternalError') },
    { name: 'InternalServerError', reply: mnsErrorReply(500, 'InternalServerError') },
    { name: 'an unknown code with a 5xx', reply: mnsErrorReply(503, 'ServiceBusy') },
    { name: "a proxy's 502 page", reply: { status: 502, body: '<html><body>Bad Gateway</body></html>' } },
    { name: 'a connection reset', reply: 'reset' },
  ])('retries after $name and then succeeds', async ({ reply }) => {
    const { publisher, server } = await publisherFor([reply]);

    const published = await publisher.publish({ body: 'x', tag: 'created' }, call());

    expect(published.messageId).toBe('msg-2');
    expect(server.received).toHaveLength(2);
  });

  it.each([
    { status: 404, code: 'TopicNotExist' },
    { status: 403, code: 'AccessDenied' },
    { status: 403, code: 'InvalidAccessKeyId' },
    { status: 403, code: 'SignatureDoesNotMatch' },
    { status: 400, code: 'TimeExpired' },
    { status: 400, code: 'InvalidAuthorizationHeader' },
    { status: 400, code: 'MissingDateHeader' },
    { status: 400, code: 'InvalidDegist' },
    { status: 400, code: 'MalformedXML' },
    { status: 400, code: 'InvalidArgument' },
    { status: 400, code: 'InvalidRequestURL' },
    { status: 400, code: 'SomeFutureCode' },
  ])('gives up at once on $code ($status)', async ({ status, code }) => {
    const { publisher, server } = await publisherFor([mnsErrorReply(status, code)]);

    const publishing = publisher.publish({ body: 'x', tag: 'created' }, call());

    await expect(publishing).rejects.toThrow(UpstreamError);
    await expect(publishing).rejects.toMatchObject({
      code,
      message: `MNS says ${code} & more.`,
      upstreamStatus: status,
      requestId: `err-${code}`,
      retryable: false,
    });
    expect(server.received).toHaveLength(1);
  });

  it('throws the last retryable error once the attempts are used up', async () => {
    const { publisher, server } = await publisherFor(
      Array.from({ length: 5 }, () => mnsErrorReply(500, 'InternalError')),
      {
        retryPolicy: { maxAttempts: 3, baseDelayMs: 10 },
      },
    );

    const publishing = publisher.publish({ body: 'x', tag: 'created' }, call());

    await expect(publishing).rejects.toMatchObject({ name: 'UpstreamError', code: 'InternalError', retryable: true, upstreamStatus: 500 });
    expect(server.received).toHaveLength(3);
  });

  it('abandons an attempt that hangs past its timeout and retries within the deadline', async () => {
    const { publisher, server } = await publisherFor(['hang'], { retryPolicy: { attemptTimeoutMs: 300, baseDelayMs: 10 } });
    const started = Date.now();

    const published = await publisher.publish({ body: 'x', tag: 'created' }, call());

    expect(published.messageId).toBe('msg-2');
    expect(server.received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops at the deadline when MNS never answers', async () => {
    const { publisher, server } = await publisherFor(['hang', 'hang', 'hang'], { clock: systemClock, retryPolicy: {} });
    const started = Date.now();

    const publishing = publisher.publish({ body: 'x', tag: 'created' }, { credentials: CREDENTIALS, deadline: started + 600 });

    await expect(publishing).rejects.toThrow(DeadlineExceededError);
    expect(server.received).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it.each<{ name: string; reply: Reply }>([
    { name: 'a 201 without a body', reply: { status: 201, body: '' } },
    { name: 'a 201 that is not XML', reply: { status: 201, body: '{"MessageId":"m"}' } },
    { name: 'a 201 without a MessageId', reply: { status: 201, body: '<Message><MessageBodyMD5>AB</MessageBodyMD5></Message>' } },
    { name: 'a 200 with a MessageId', reply: { status: 200, body: '<Message><MessageId>m</MessageId></Message>' } },
  ])('does not count $name as published', async ({ reply }) => {
    const { publisher, server } = await publisherFor([reply]);

    const publishing = publisher.publish({ body: 'x', tag: 'created' }, call());

    await expect(publishing).rejects.toMatchObject({ name: 'UpstreamError', code: 'InvalidResponse', retryable: false });
    expect(server.received).toHaveLength(1);
  });

  it('never puts the secret or the token into a transport error', async () => {
    const { publisher } = await publisherFor(['reset', 'reset'], { retryPolicy: { maxAttempts: 2, baseDelayMs: 10 } });

    const error = await publisher.publish({ body: 'x', tag: 'created' }, call()).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(NetworkError);
    const text = `${String(error)} ${JSON.stringify(error)} ${JSON.stringify((error as Error).cause ?? null)}`;
    expect(text).not.toContain(CREDENTIALS.accessKeySecret);
    expect(text).not.toContain(CREDENTIALS.securityToken);
  });

  it('refuses a tag longer than 16 characters before sending anything', async () => {
    const { publisher, server } = await publisherFor([]);

    await expect(publisher.publish({ body: 'x', tag: 'seventeen-chars-x' }, call())).rejects.toMatchObject({ code: 'InvalidParameter' });
    expect(server.received).toHaveLength(0);
  });
});

describe('MnsPublisher configuration', () => {
  it.each([
    { name: 'a topic with a slash', options: { endpoint: 'http://127.0.0.1:1', topic: 'a/b' } },
    { name: 'a topic starting with a digit', options: { endpoint: 'http://127.0.0.1:1', topic: '1topic' } },
    { name: 'an empty topic', options: { endpoint: 'http://127.0.0.1:1', topic: '' } },
    { name: 'an endpoint that is not a URL', options: { endpoint: 'mns.cn-hangzhou', topic: TOPIC } },
    { name: 'an endpoint that is not http(s)', options: { endpoint: 'ftp://127.0.0.1', topic: TOPIC } },
  ])('refuses $name', ({ options }) => {
    expect(() => new MnsPublisher(options)).toThrow(ProductError);
    expect(() => new MnsPublisher(options)).toThrow(expect.objectContaining({ code: 'ConfigurationError' }));
  });
});

describe('defaultMnsEndpoint', () => {
  it('is the public endpoint of the account in the region', () => {
    expect(defaultMnsEndpoint('1234567890123456', 'cn-hangzhou')).toBe('https://1234567890123456.mns.cn-hangzhou.aliyuncs.com');
  });
});

describe('MNS codes in the one error table (classifyUpstream)', () => {
  it.each([
    { code: 'QpsLimitExceeded', status: 400, retryable: true },
    { code: 'InternalError', status: 500, retryable: true },
    { code: 'InternalServerError', status: 500, retryable: true },
    { code: 'Unknown', status: 503, retryable: true },
    { code: 'Unknown', status: 429, retryable: true },
    { code: 'TopicNotExist', status: 404, retryable: false },
    { code: 'AccessDenied', status: 403, retryable: false },
    { code: 'InvalidAccessKeyId', status: 403, retryable: false },
    { code: 'Unknown', status: 400, retryable: false },
  ])('$code with HTTP $status is retryable: $retryable', ({ code, status, retryable }) => {
    expect(classifyUpstream(code, status, 'MNS')).toMatchObject({ retryable });
  });
});

describe('parsePublishResponse', () => {
  const response = (status: number, body: string, headers: Record<string, string> = {}) => ({ status, headers, body: Buffer.from(body) });

  it.each([
    {
      name: 'the request id from the header',
      input: response(201, '<Message><MessageId> m-1 </MessageId></Message>', { 'x-mns-request-id': 'r-1' }),
      expected: { messageId: 'm-1', requestId: 'r-1' },
    },
    { name: 'no request id without the header', input: response(201, '<Message><MessageId>m-1</MessageId></Message>'), expected: { messageId: 'm-1' } },
  ])('reads a 201 with $name', ({ input, expected }) => {
    expect(parsePublishResponse(input)).toStrictEqual(expected);
  });

  it('takes the request id from the header when the error body has none, and the rule message when it has no Message', () => {
    const parse = () => parsePublishResponse(response(404, '<Error><Code>TopicNotExist</Code></Error>', { 'x-mns-request-id': 'r-9' }));

    expect(parse).toThrow(expect.objectContaining({ code: 'TopicNotExist', requestId: 'r-9', message: 'The notification topic does not exist.' }));
  });

  it('treats a 5xx that is not MNS XML as a network failure', () => {
    expect(() => parsePublishResponse(response(504, 'Gateway Timeout'))).toThrow(NetworkError);
  });
});

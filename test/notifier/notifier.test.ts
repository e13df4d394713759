import { afterEach, describe, expect, it } from 'vitest';
import { type MessagePublisher, MnsPublisher, type OutgoingMessage, type PublishCall } from '../../shared/clients/mns/publisher';
import { escapeXmlText } from '../../shared/clients/mns/xml';
import { NetworkError, UpstreamError } from '../../shared/core/errors';
import { type BandwidthPlanCloudEvent, MNS_MAX_MESSAGE_BYTES, toCloudEvent } from '../../shared/core/notifications/cloudevent';
import { createMnsNotifier, disabledNotifier } from '../../shared/core/notifications/notifier';
import type { Outcome } from '../../shared/core/outcome';
import { createLogger } from '../../shared/runtime/log';
import { CREATED, EVENT_CONTEXT, FAILED, PENDING, REJECTED, REQUEST } from './fixtures';
import { type MnsTestServer, mnsErrorReply, startMnsTestServer } from './mns-test-server';

const CREDENTIALS = {
  accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2Exa',
  accessKeySecret: 'TestAccessSecret-do-not-leak',
  securityToken: 'CAIS+testToken/With+Special=Chars',
};
const CALL = { credentials: CREDENTIALS, deadline: Date.now() + 60_000, fcRequestId: 'fc-now' };

/** A publisher that records what it is given and answers as scripted. */
function fakePublisher(answer: (message: OutgoingMessage) => Promise<{ messageId: string; requestId?: string }>) {
  const published: Array<{ message: OutgoingMessage; call: PublishCall }> = [];
  const publisher: MessagePublisher = {
    publish: async (message, call) => {
      published.push({ message, call });
      return answer(message);
    },
  };
  return { publisher, published };
}

function notifierWith(publisher: MessagePublisher) {
  const lines: string[] = [];
  const notifier = createMnsNotifier({
    publisher,
    region: EVENT_CONTEXT.region,
    accountId: EVENT_CONTEXT.accountId,
    functionName: EVENT_CONTEXT.functionName,
    log: createLogger({ write: (line) => lines.push(line) }),
    newId: () => EVENT_CONTEXT.id,
    now: () => EVENT_CONTEXT.time,
  });
  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { notifier, lines, logged };
}

describe('createMnsNotifier', () => {
  it.each([CREATED, PENDING, FAILED, REJECTED])('publishes a $kind outcome as its CloudEvent, tagged with the kind', async (outcome) => {
    // Prepare
    const { publisher, published } = fakePublisher(async () => ({ messageId: 'm-1', requestId: 'r-1' }));
    const { notifier, logged } = notifierWith(publisher);

    // Act
    const report = await notifier.notify(outcome, CALL);

    // Assess
    expect(report).toEqual({ delivered: true, messageId: 'm-1' });
    expect(published).toHaveLength(1);
    expect(published[0]!.message.tag).toBe(outcome.kind);
    expect(JSON.parse(published[0]!.message.body)).toEqual(toCloudEvent(outcome, EVENT_CONTEXT));
    expect(published[0]!.call).toBe(CALL);
    expect(logged()).toMatchObject([
      {
        level: 'info',
        message: 'notification published',
        eventId: 'evt-0001',
        type: `cen.bandwidthplan.${outcome.kind}`,
        fcRequestId: 'fc-now',
        messageId: 'm-1',
        upstreamRequestId: 'r-1',
        truncated: false,
      },
    ]);
  });

  it('publishes an oversized outcome trimmed to the topic limit', async () => {
    const { publisher, published } = fakePublisher(async () => ({ messageId: 'm-1' }));
    const { notifier } = notifierWith(publisher);
    const outcome: Outcome = { ...FAILED, error: { ...FAILED.error!, message: '<&>'.repeat(30_000) } };

    await notifier.notify(outcome, CALL);

    const body = published[0]!.message.body;
    expect(Buffer.byteLength(escapeXmlText(body))).toBeLessThanOrEqual(MNS_MAX_MESSAGE_BYTES);
    expect((JSON.parse(body) as BandwidthPlanCloudEvent).data.truncated).toBe(true);
  });

  it('reports a failed publish without throwing and logs the whole, untrimmed event', async () => {
    // Prepare
    const failure = new UpstreamError('TopicNotExist', 'The topic you provided does not exist.', 404, 'mns-req-1', {
      status: 502,
      retryable: false,
      message: 'The notification topic does not exist.',
    });
    const { publisher } = fakePublisher(async () => {
      throw failure;
    });
    const { notifier, logged } = notifierWith(publisher);
    const outcome: Outcome = { ...CREATED, notes: ['x'.repeat(100_000)] };

    // Act
    const report = await notifier.notify(outcome, CALL);

    // Assess
    expect(report).toEqual({
      delivered: false,
      error: { code: 'TopicNotExist', message: 'The topic you provided does not exist.', retryable: false },
    });
    expect(logged()).toEqual([
      {
        time: expect.any(String),
        level: 'error',
        message: 'notification not delivered',
        eventId: 'evt-0001',
        type: 'cen.bandwidthplan.created',
        fcRequestId: 'fc-now',
        cloudEvent: toCloudEvent(outcome, EVENT_CONTEXT),
        error: { code: 'TopicNotExist', message: 'The topic you provided does not exist.', retryable: false, upstreamRequestId: 'mns-req-1' },
      },
    ]);
  });

  it.each([
    { name: 'a retryable network error', thrown: new NetworkError('connection to mns failed: ECONNRESET'), code: 'NetworkError', retryable: true },
    { name: 'an unexpected error', thrown: new TypeError('boom'), code: 'InternalError', retryable: false },
  ])('reports $name with its code and retryability', async ({ thrown, code, retryable }) => {
    const { publisher } = fakePublisher(async () => {
      throw thrown;
    });
    const { notifier } = notifierWith(publisher);

    const report = await notifier.notify(CREATED, CALL);

    expect(report).toMatchObject({ delivered: false, error: { code, retryable } });
  });

  it('takes a fresh random id and the current time by default', async () => {
    const { publisher, published } = fakePublisher(async () => ({ messageId: 'm' }));
    const notifier = createMnsNotifier({ publisher, region: 'r', accountId: 'a', functionName: 'f', log: createLogger({ write: () => {} }) });
    const before = Date.now();

    await notifier.notify(CREATED, CALL);
    await notifier.notify(CREATED, CALL);

    const [first, second] = published.map(({ message }) => JSON.parse(message.body) as BandwidthPlanCloudEvent);
    expect(first!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first!.id).not.toBe(second!.id);
    expect(Date.parse(first!.time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(first!.time)).toBeLessThanOrEqual(Date.now());
  });
});

describe('createMnsNotifier with MnsPublisher', () => {
  let server: MnsTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function notifierAgainst(replies: Parameters<typeof startMnsTestServer>[0]['replies']) {
    server = await startMnsTestServer({ accessKeySecret: CREDENTIALS.accessKeySecret, replies });
    return { server, ...notifierWith(new MnsPublisher({ endpoint: server.endpoint, topic: 'bandwidth-plan-events' })) };
  }

  it('delivers names and descriptions with XML-special, Chinese and emoji text intact', async () => {
    const { notifier, server } = await notifierAgainst([]);
    const outcome: Outcome = {
      ...CREATED,
      request: { ...REQUEST, Name: '带宽包<&>', Description: `</MessageBody><x a="1">&amp; 'q' 🚀` },
    };

    const report = await notifier.notify(outcome, CALL);

    expect(report).toEqual({ delivered: true, messageId: 'msg-1' });
    const [request] = server.received;
    expect(request!.signatureValid).toBe(true);
    expect(request!.message?.tag).toBe('created');
    expect(JSON.parse(request!.message!.body)).toEqual(toCloudEvent(outcome, EVENT_CONTEXT));
  });

  it('reports a missing topic after a single request', async () => {
    const { notifier, server } = await notifierAgainst([mnsErrorReply(404, 'TopicNotExist')]);

    const report = await notifier.notify(REJECTED, CALL);

    expect(report).toEqual({ delivered: false, error: { code: 'TopicNotExist', message: 'MNS says TopicNotExist & more.', retryable: false } });
    expect(server.received).toHaveLength(1);
  });
});

describe('disabledNotifier', () => {
  it('publishes nothing and says so', async () => {
    expect(await disabledNotifier.notify(CREATED, CALL)).toEqual({ delivered: false, disabled: true });
  });
});

/**
 * `npm run invoke`: every example runs locally against the embedded cloud with the outcome its
 * source should have; `--remote` goes through FC InvokeFunction, tested only against the loopback
 * FC double.
 */
import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CREDENTIALS, type FcDouble, startFcDouble } from '../doubles';
import { cleanEnv, type Finished, ROOT, runTsx } from './processes';

const RUN_MS = 45_000;
/** Examples run two at a time: each is a Node process, and the suite's other files run alongside. */
const PARALLEL_RUNS = 2;

type Check = (result: any, run: Finished) => void;

const created: Check = (result) => {
  expect(result.outcome).toMatch(/^(created|pending)$/);
  expect(result.CenBandwidthPackageId).toMatch(/^cenbwp-/);
  expect(result.notification.delivered).toBe(true);
};

const chatReplyMentions =
  (platform: string, text: string): Check =>
  (result, run) => {
    expect(result.statusCode).toBe(200);
    const reply = run.stderr.split('\n').find((line) => line.startsWith(`local chat reply (${platform}): `));
    expect(reply).toContain(text);
  };

/** What each example must produce locally. Every file in examples/ needs a row. */
const EXPECTED: Record<string, Check> = {
  'http-create.json': (result, run) => {
    expect(result.statusCode).toBe(201);
    expect(result.body.CenBandwidthPackageId).toMatch(/^cenbwp-/);
    expect(result.body.Status).toMatch(/^(Idle|InUse|pending)$/);
    expect(run.stderr).toMatch(/local MNS: cen\.bandwidthplan\.(created|pending)/);
  },
  'http-dry-run.json': (result, run) => {
    expect(result.statusCode).toBe(200);
    expect(result.body).toMatchObject({ dryRun: true, request: { Bandwidth: 2, BandwidthPackageChargeType: 'PREPAY' }, guardrails: { allowed: true } });
    expect(run.stderr).not.toContain('local CEN: plan');
  },
  'http-status.json': (result) => {
    // The embedded cloud starts empty, so the example's plan id is unknown there.
    expect(result).toEqual({ statusCode: 404, body: { error: { code: 'NotFound', message: 'No bandwidth plan cenbwp-4c2zaavbvh5fx0000' } } });
  },
  'eventbridge-single.json': created,
  'eventbridge-batch.json': (result) => {
    expect(result.map((one: any) => one.outcome)).toEqual([
      expect.stringMatching(/^(created|pending)$/),
      'rejected',
      expect.stringMatching(/^(created|pending)$/),
    ]);
    expect(result[1].error.code).toBe('InvalidParameter');
  },
  'timer.json': created,
  'slack.json': (result) => {
    expect(result.statusCode).toBe(200);
    expect(result.body.response_type).toBe('ephemeral');
    expect(result.body.text).toContain('100 Mbit/s');
  },
  // A press of a preview's Cancel (its code made up): acknowledged empty, the preview replaced through the press's response_url.
  'slack-button.json': (result, run) => {
    expect(result).toEqual({ statusCode: 200, body: '' });
    chatReplyMentions(
      'slack',
      '"replace_original":true,"text":"*Cancelled*\\nNothing was bought. The preview is closed, but its code is not revoked (codes keep no state): it stays valid until it expires, 10 minutes after it was issued. Do not confirm it."',
    )(result, run);
  },
  'dingtalk.json': chatReplyMentions('dingtalk', '100 Mbit/s'),
  'lark.json': chatReplyMentions('lark', '100 Mbit/s'),
  // A press of a preview card's Cancel: answered in the callback's answer, a toast and the card without buttons.
  'lark-card-action.json': (result) => {
    expect(result.statusCode).toBe(200);
    expect(result.body).toEqual({
      toast: { type: 'success', content: 'Cancelled' },
      card: {
        type: 'raw',
        data: expect.objectContaining({
          elements: [
            {
              tag: 'div',
              text: {
                tag: 'plain_text',
                content:
                  'Nothing was bought. The preview is closed, but its code is not revoked (codes keep no state): it stays valid until it expires, 10 minutes after it was issued. Do not confirm it.',
              },
            },
          ],
        }),
      },
    });
  },
};

describe('npm run invoke (locally)', () => {
  const runs = new Map<string, Promise<Finished>>();
  beforeAll(() => {
    // PARALLEL_RUNS lanes; each example starts when the one before it in its lane has ended.
    const lanes: Promise<unknown>[] = Array.from({ length: PARALLEL_RUNS }, () => Promise.resolve());
    Object.keys(EXPECTED).forEach((file, index) => {
      const run = lanes[index % PARALLEL_RUNS]!.then(() => runTsx('local/invoke.ts', [`examples/${file}`], cleanEnv(), RUN_MS));
      lanes[index % PARALLEL_RUNS] = run.catch(() => undefined);
      runs.set(file, run);
    });
  });

  it('has an expectation for every example', () => {
    expect(
      readdirSync(resolve(ROOT, 'examples'))
        .filter((file) => file.endsWith('.json'))
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))(
    '%s',
    async (file) => {
      const run = await runs.get(file)!;
      expect(run.code, run.stderr).toBe(0);
      EXPECTED[file]!(JSON.parse(run.stdout), run);
    },
    RUN_MS * 3,
  );

  it('--async goes through the FC double and reports what the background run returned', async () => {
    const run = await runTsx('local/invoke.ts', ['examples/timer.json', '--async'], cleanEnv(), RUN_MS);
    expect(run.code, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.status).toBe(202);
    expect(output.invocation).toMatchObject({ state: 'succeeded', attempts: 1, result: { outcome: expect.stringMatching(/^(created|pending)$/) } });
  });

  it.each([
    [[], 'give exactly one event file'],
    [['examples/timer.json', 'examples/slack.json'], 'give exactly one event file'],
    [['examples/missing.json'], 'cannot read examples/missing.json as JSON'],
    [['examples/timer.json', '--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 with usage for %j', async (args, message) => {
    const run = await runTsx('local/invoke.ts', args, cleanEnv(), RUN_MS);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('usage: npm run invoke -- <event-file> [--remote] [--async]');
  });
});

describe('npm run invoke --remote (against the loopback FC double)', () => {
  const WEBHOOK_SECRET = 'remote-webhook-secret-for-tests';
  const ANSWER = {
    statusCode: 201,
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    body: '{"CenBandwidthPackageId":"cenbwp-remote0001"}',
  };
  let fc: FcDouble;
  beforeAll(async () => {
    fc = await startFcDouble({ functions: ['create-bandwidth-plan'], onInvoke: () => ANSWER });
  });
  afterAll(() => fc.close());

  const remoteEnv = (extra: Record<string, string> = {}) =>
    cleanEnv({
      FC_ENDPOINT: fc.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEV_CREDENTIALS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEV_CREDENTIALS.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: DEV_CREDENTIALS.securityToken!,
      WEBHOOK_SECRET,
      ...extra,
    });

  it('invokes synchronously, sends the event signed with WEBHOOK_SECRET, and prints the HTTP answer', async () => {
    const run = await runTsx('local/invoke.ts', ['examples/http-create.json', '--remote'], remoteEnv(), RUN_MS);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ statusCode: 201, body: { CenBandwidthPackageId: 'cenbwp-remote0001' } });

    const invocation = fc.invocations.at(-1)!;
    expect(invocation).toMatchObject({ functionName: 'create-bandwidth-plan', async: false, state: 'succeeded' });
    const event = JSON.parse(invocation.body.toString('utf8'));
    const timestamp = event.headers['X-Webhook-Timestamp'];
    // The example carries an Idempotency-Key, so it is signed v2: over method, path, query, key and body.
    const signed = `${timestamp}.POST./bandwidth-plans..${event.headers['Idempotency-Key']}.${event.body}`;
    expect(event.headers['X-Webhook-Signature']).toBe(`v2=${createHmac('sha256', WEBHOOK_SECRET).update(signed).digest('hex')}`);
  });

  it("--async is accepted with 202 and FC's request id", async () => {
    const run = await runTsx('local/invoke.ts', ['examples/eventbridge-single.json', '--remote', '--async'], remoteEnv(), RUN_MS);
    expect(run.code, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.status).toBe(202);
    await fc.idle();
    expect(fc.invocations.find((invocation) => invocation.requestId === output.requestId)?.async).toBe(true);
  });

  it.each([
    ['credentials', { ALIBABA_CLOUD_ACCESS_KEY_ID: '' }, '--remote needs credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
    ['an endpoint', { FC_ENDPOINT: '' }, '--remote needs the FC endpoint: set FC_ENDPOINT, or FC_ACCOUNT_ID and FC_REGION.'],
    ['the webhook secret', { WEBHOOK_SECRET: '' }, 'WEBHOOK_SECRET is not set: it is needed to sign this event.'],
  ])('exits 2 without %s', async (_what, missing, message) => {
    const before = fc.invocations.length;
    const run = await runTsx('local/invoke.ts', ['examples/http-create.json', '--remote'], remoteEnv(missing), RUN_MS);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(fc.invocations).toHaveLength(before);
  });
});

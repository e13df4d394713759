/**
 * `npm run smoke` against the local run (the built bundle behind the local HTTP trigger, on the loopback
 * cloud): every check passes on a good deployment and buys nothing, and each thing a first deploy gets
 * wrong fails its own check with its fix — a wrong secret, a role that may not publish, a missing
 * trigger, FC refusing to invoke a function with an HTTP trigger (then the two-function layout passes,
 * and a chat purchase goes through it end to end).
 */
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_USERS, LOCAL_SECRETS } from '../../local/environment';
import { type LocalServer, startLocalServer } from '../../local/server';
import { slackSignature } from '../../local/signatures';
import { type CheckResult, report, runSmoke, type SmokeSettings, smokeSettings } from '../../local/smoke';
import { DEV_CREDENTIALS } from '../doubles';
import type { HttpFunctionInvocation } from '../doubles/fc';
import { describes } from '../support/observe';
import { ROOT } from './processes';

const TWO_FUNCTIONS = resolve(ROOT, 'deploy', 's.two-functions.yaml');
const SINGLE = resolve(ROOT, 's.yaml');

let server: LocalServer | undefined;
let savedEnv: NodeJS.ProcessEnv;
beforeEach(() => {
  savedEnv = { ...process.env };
  // A clean shell: nothing of the developer's reaches the local run or the template.
  for (const name of Object.keys(process.env)) if (/^(ALIBABA_CLOUD_|FC_|CEN_|MNS_|DEFAULT_|WEBHOOK_|SMOKE_)/.test(name)) delete process.env[name];
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

async function start(options: { template?: string; httpFunctionInvocation?: HttpFunctionInvocation } = {}): Promise<LocalServer> {
  server = await startLocalServer(0, options);
  return server;
}

/** The settings a user exports after a deploy, here pointing at the local run. */
function settingsFor(local: LocalServer, template: string, overrides: Record<string, string> = {}): SmokeSettings {
  const settings = smokeSettings(
    {
      SMOKE_URL: local.url,
      FC_ENDPOINT: local.fn.cloud!.fc.url,
      WEBHOOK_SECRET: LOCAL_SECRETS.WEBHOOK_SECRET,
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEV_CREDENTIALS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEV_CREDENTIALS.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: DEV_CREDENTIALS.securityToken!,
      ...overrides,
    },
    template,
  );
  if ('missing' in settings) throw new Error(`missing ${settings.missing.join(', ')}`);
  return settings;
}

const byName = (results: readonly CheckResult[], words: string) => {
  const found = results.filter((result) => result.name.includes(words));
  expect(found, `a check named "${words}"`).toHaveLength(1);
  return found[0]!;
};
const verdicts = (results: readonly CheckResult[]) => results.map((result) => `${result.verdict} ${result.name}`);

function expectNothingBought(local: LocalServer): void {
  const cloud = local.fn.cloud!;
  expect(cloud.cen.requests.filter((one) => one.action === 'CreateCenBandwidthPackage')).toHaveLength(0);
  expect(cloud.cen.plans).toHaveLength(0);
}

describe('npm run smoke against the local run', () => {
  it('passes every check on s.yaml, publishes one test event and buys nothing', async () => {
    const local = await start();
    const results = await runSmoke(settingsFor(local, SINGLE));

    expect(verdicts(results)).toEqual([
      'pass HTTP trigger refuses an unsigned request',
      'pass HTTP trigger answers a signed dry run',
      'pass the role can describe plans (a made-up plan id is 404)',
      'pass InvokeFunction reaches create-bandwidth-plan though it has an HTTP trigger',
      'pass the role can publish to the topic',
      'pass create-bandwidth-plan has its http trigger "http"',
      'pass create-bandwidth-plan has its eventbridge trigger "eventbridge"',
      'pass create-bandwidth-plan has its timer trigger "monthly"',
    ]);
    const cloud = local.fn.cloud!;
    // The dry run reads what s.yaml's runaway limits leave; the 404 is CEN's own answer to the describe by id.
    expect(describes({ cen: cloud.cen })).toEqual(['listing', 'by id']);
    expect(cloud.cen.requests.filter((one) => one.action === 'CreateCenBandwidthPackage')).toHaveLength(0);
    expect(cloud.mns.messages.map((message) => [message.tag, JSON.parse(message.body).type])).toEqual([['test', 'cen.bandwidthplan.test']]);
    expect(cloud.fc.invocations.map((one) => [one.functionName, one.async])).toEqual([
      ['create-bandwidth-plan', false],
      ['create-bandwidth-plan', false],
    ]);
    expectNothingBought(local);
    expect(report(results)).toMatch(/8 passed, 0 warnings, 0 failed\. Nothing was bought\.$/);
  });

  it('fails the signed checks with the fix when WEBHOOK_SECRET is not the deployed one', async () => {
    const local = await start();
    const results = await runSmoke(settingsFor(local, SINGLE, { WEBHOOK_SECRET: 'not-the-deployed-secret-0123456789abcdef' }));

    expect(byName(results, 'unsigned').verdict).toBe('pass');
    for (const words of ['signed dry run', 'describe plans']) {
      expect(byName(results, words)).toMatchObject({ verdict: 'fail', fix: expect.stringContaining('WEBHOOK_SECRET here is not the one deployed') });
    }
    expect(report(results)).not.toContain('not-the-deployed-secret');
    expectNothingBought(local);
  });

  it('fails the publish check with the fix when the role may not publish', async () => {
    const local = await start();
    local.fn.cloud!.mns.inject({ code: 'AccessDenied', status: 403, message: 'The role has no mns:PublishMessage.' }, { times: Number.POSITIVE_INFINITY });
    const results = await runSmoke(settingsFor(local, SINGLE));

    expect(byName(results, 'publish')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining('AccessDenied'),
      fix: 'grant the role mns:PublishMessage on the topic: attach deploy/ram-policy.json',
    });
    expect(results.filter((result) => result.verdict === 'fail')).toHaveLength(1);
  });

  it('fails the check of a trigger the deploy left out, naming it', async () => {
    const local = await start();
    const fc = local.fn.cloud!.fc;
    const kept = local.fn.deployment!.http.triggers.filter((trigger) => trigger.triggerType !== 'eventbridge');
    fc.setTriggers('create-bandwidth-plan', kept);
    const results = await runSmoke(settingsFor(local, SINGLE));

    expect(byName(results, 'eventbridge trigger')).toMatchObject({ verdict: 'fail', detail: 'missing', fix: expect.stringContaining('EventBridge activated') });
    expect(results.filter((result) => result.verdict === 'fail')).toHaveLength(1);
  });

  it('warns when requests without a charge type would be sent as POSTPAY', async () => {
    process.env.DEFAULT_CHARGE_TYPE = 'POSTPAY';
    const local = await start();
    const results = await runSmoke(settingsFor(local, SINGLE));

    expect(byName(results, 'without a charge type')).toMatchObject({ verdict: 'warn', fix: expect.stringContaining('DEFAULT_CHARGE_TYPE=PREPAY') });
  });

  it('fails with the keys to check, not the layout, when FC refuses the caller’s keys', async () => {
    const local = await start();
    const results = await runSmoke(settingsFor(local, SINGLE, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret' }));

    expect(byName(results, 'InvokeFunction')).toMatchObject({ verdict: 'fail', fix: expect.stringContaining('check ALIBABA_CLOUD_ACCESS_KEY_ID') });
    expect(report(results)).not.toContain('two-functions');
  });

  it('points to the two-function layout when FC will not invoke a function with an HTTP trigger', async () => {
    const local = await start({ httpFunctionInvocation: 'refused' });
    const results = await runSmoke(settingsFor(local, SINGLE));

    expect(byName(results, 'InvokeFunction')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining('InvalidArgument'),
      fix: expect.stringContaining('deploy deploy/s.two-functions.yaml'),
    });
    expect(byName(results, 'publish').verdict).toBe('fail');
    expectNothingBought(local);
  });

  it('warns, and skips the publish check, when FC delivers InvokeFunction as an HTTP request', async () => {
    const local = await start({ httpFunctionInvocation: 'http-shaped' });
    const results = await runSmoke(settingsFor(local, SINGLE));

    expect(byName(results, 'InvokeFunction')).toMatchObject({ verdict: 'warn', detail: expect.stringContaining('as an HTTP request') });
    expect(byName(results, 'publish')).toMatchObject({ verdict: 'warn', detail: expect.stringContaining('not checked') });
    expect(results.filter((result) => result.verdict === 'fail')).toHaveLength(0);
  });

  it('names what is missing from the environment', () => {
    expect(smokeSettings({ SMOKE_URL: 'https://x.fcapp.run' }, SINGLE)).toEqual({
      missing: ['WEBHOOK_SECRET', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'FC_REGION', 'FC_ACCOUNT_ID'],
    });
  });
});

describe('the two-function layout, where FC refuses to invoke a function with an HTTP trigger', () => {
  it('passes every check, the ping reaching the events function', async () => {
    const local = await start({ template: TWO_FUNCTIONS, httpFunctionInvocation: 'refused' });
    const results = await runSmoke(settingsFor(local, TWO_FUNCTIONS));

    expect(verdicts(results)).toEqual([
      'pass HTTP trigger refuses an unsigned request',
      'pass HTTP trigger answers a signed dry run',
      'pass the role can describe plans (a made-up plan id is 404)',
      'pass InvokeFunction reaches create-bandwidth-plan',
      'pass the role can publish to the topic',
      'pass create-bandwidth-plan has its eventbridge trigger "eventbridge"',
      'pass create-bandwidth-plan has its timer trigger "monthly"',
      'pass create-bandwidth-plan-http has its http trigger "http"',
    ]);
    expect(byName(results, 'InvokeFunction').detail).toContain('chat jobs run in create-bandwidth-plan');
  });

  it('buys one plan from a chat create → confirm, the purchase running in the events function', async () => {
    const local = await start({ template: TWO_FUNCTIONS, httpFunctionInvocation: 'refused' });
    const cloud = local.fn.cloud!;
    const [team, user] = EXAMPLE_USERS[0].slice('slack:'.length).split('/') as [string, string];
    const slack = async (text: string) => {
      const body = new URLSearchParams({
        team_id: team,
        channel_id: 'C0LOCAL',
        user_id: user,
        command: '/bwp',
        text,
        trigger_id: `trigger-${text.length}`,
        response_url: cloud.chat.slackResponseUrl(),
      }).toString();
      const seconds = Math.floor(Date.now() / 1000);
      const response = await fetch(`${local.url}/chatops/slack`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(seconds),
          'x-slack-signature': slackSignature(LOCAL_SECRETS.SLACK_SIGNING_SECRET, seconds, body),
        },
        body,
      });
      expect(response.status, await response.clone().text()).toBe(200);
      return ((await response.json()) as { text: string }).text;
    };

    const code = /confirm ([A-Za-z0-9]+)/.exec(await slack('create 10 China Europe'))?.[1];
    expect(code).toBeDefined();
    expect(await slack(`confirm ${code}`)).toContain('Confirmed: buying');
    await cloud.fc.idle();

    expect(cloud.fc.invocations.map((one) => [one.functionName, one.async, one.state])).toEqual([['create-bandwidth-plan', true, 'succeeded']]);
    expect(cloud.cen.plans).toHaveLength(1);
    // Locally PREPAY is the default (as most accounts need) and AutoPay off: the order waits for payment.
    expect(cloud.mns.messages.map((message) => JSON.parse(message.body).type)).toEqual(['cen.bandwidthplan.pending']);
  });
});

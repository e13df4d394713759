/**
 * The deployment matches the code: s.yaml deploys the bundle the build makes, with every variable
 * the function reads (secrets only from the deploying shell), the triggers the code expects, and a
 * RAM role that can do exactly what the function does. `s preview` renders it offline.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readDeployment, renderTemplate } from '../../local/deployment';
import { validateBandwidthPlan } from '../../shared/core/schema';
import { EnvironmentSchema, loadConfig } from '../../shared/runtime/config';
import { CHAT_JOB_MAX_AGE_MS } from '../../shared/sources/chat/jobs';
import { cleanEnv, ROOT } from './processes';

const template = parse(readFileSync(resolve(ROOT, 's.yaml'), 'utf8'));
const fn = template.resources['create-bandwidth-plan'];
const props = fn.props;
// Unrendered: the variables as written, `${env(…)}` and all.
const variables: Record<string, string> = template.vars.environment;
const rendered = renderTemplate(resolve(ROOT, 's.yaml')) as any;
const renderedProps = rendered.resources['create-bandwidth-plan'].props;
const trigger = (type: string) => renderedProps.triggers.find((one: { triggerType: string }) => one.triggerType === type);
const readJson = (path: string) => JSON.parse(readFileSync(resolve(ROOT, path), 'utf8'));

const FUNCTION_VARIABLES = Object.keys(EnvironmentSchema.def.shape);
const SECRET_LOOKING = /SECRET|TOKEN|KEY/;

describe('s.yaml', () => {
  it('deploys the bundle the build makes, on nodejs20', () => {
    expect(template.edition).toBe('3.0.0');
    expect(fn.component).toBe('fc3');
    expect(props).toMatchObject({ functionName: 'create-bandwidth-plan', runtime: 'nodejs20', handler: 'index.handler', memorySize: 512, logConfig: 'auto' });
    expect(props.code).toBe('./dist/create-bandwidth-plan');
    expect(existsSync(resolve(ROOT, props.code, 'index.js'))).toBe(true);
  });

  it('names a handler the bundle exports', () => {
    const [file, exported] = (props.handler as string).split('.') as [string, string];
    const bundle = createRequire(import.meta.url)(resolve(ROOT, props.code, `${file}.js`));
    expect(typeof bundle[exported]).toBe('function');
  });

  it('builds before deploying', () => {
    expect(fn.actions['pre-deploy']).toEqual([{ run: 'npm ci && npm run build', path: './' }]);
  });

  it('gives the function longer than it waits for a plan, and the role from a variable', () => {
    // The wait, plus room for retried create calls (cut at the deadline) and the publish.
    expect(props.timeout).toBeGreaterThan(Number(variables.WAIT_SECONDS) + 30);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: s.yaml's own ${vars.…} syntax, unrendered
    expect(props.role).toBe('acs:ram::${vars.accountId}:role/${vars.roleName}');
  });

  it('declares every variable shared/runtime/config.ts reads, and nothing else', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: s.yaml's own ${vars.…} syntax, unrendered
    expect(props.environmentVariables).toBe('${vars.environment}');
    expect(Object.keys(variables).sort()).toEqual([...FUNCTION_VARIABLES].sort());
  });

  it('runs chat jobs in the function that took the command', () => {
    expect(renderedProps.environmentVariables.CHATOPS_JOB_FUNCTION).toBe('');
    expect(readDeployment(resolve(ROOT, 's.yaml')).jobs.name).toBe('create-bandwidth-plan');
  });

  it.each(FUNCTION_VARIABLES.filter((name) => SECRET_LOOKING.test(name)))('takes %s from the deploying shell, never a literal', (name) => {
    expect(variables[name]).toBe(`\${env('${name}', '')}`);
  });

  it('has an anonymous HTTP trigger for POST and GET: the code authenticates every request', () => {
    expect(trigger('http').triggerConfig).toMatchObject({ authType: 'anonymous' });
    expect([...trigger('http').triggerConfig.methods].sort()).toEqual(['GET', 'POST']);
  });

  it('runs one invocation at a time, so the runaway limits are checked against every plan bought before', () => {
    expect(renderedProps.concurrencyConfig).toEqual({ reservedConcurrency: 1 });
  });

  it('invokes asynchronously from EventBridge, so FC retries failures', () => {
    expect(trigger('eventbridge').triggerConfig).toMatchObject({ asyncInvocationType: true, triggerEnable: true });
    expect(JSON.parse(trigger('eventbridge').triggerConfig.eventRuleFilterPattern)).toEqual({ source: ['ops.bandwidth-planner'] });
    expect(props.asyncInvokeConfig.maxAsyncRetryAttempts).toBe(3);
  });

  it('keeps async events within FC’s limits (at most 604800 s, retries 0–8) and no longer than a chat job lives', () => {
    const { maxAsyncEventAgeInSeconds, maxAsyncRetryAttempts } = props.asyncInvokeConfig;
    expect(maxAsyncEventAgeInSeconds).toBeGreaterThanOrEqual(1);
    expect(maxAsyncEventAgeInSeconds).toBeLessThanOrEqual(604_800);
    expect(maxAsyncEventAgeInSeconds * 1000).toBeLessThanOrEqual(CHAT_JOB_MAX_AGE_MS);
    expect(maxAsyncRetryAttempts).toBeGreaterThanOrEqual(0);
    expect(maxAsyncRetryAttempts).toBeLessThanOrEqual(8);
  });

  it('ships the timer disabled, with a payload the function accepts', () => {
    const { triggerConfig } = trigger('timer');
    expect(triggerConfig.enable).toBe(false);
    expect(validateBandwidthPlan(JSON.parse(triggerConfig.payload)).ok).toBe(true);
  });
});

describe('deploy/s.two-functions.yaml: the HTTP trigger on a function of its own', () => {
  const path = resolve(ROOT, 'deploy', 's.two-functions.yaml');
  const two = renderTemplate(path) as any;
  const events = two.resources['create-bandwidth-plan'].props;
  const http = two.resources['create-bandwidth-plan-http'].props;
  const SAME_FUNCTION_SETTINGS = ['region', 'runtime', 'handler', 'memorySize', 'timeout', 'role', 'logConfig', 'environmentVariables'];

  it('splits s.yaml’s triggers: HTTP on one function, EventBridge and the timer on the other', () => {
    expect(http.triggers).toEqual([trigger('http')]);
    expect(events.triggers).toEqual([trigger('eventbridge'), trigger('timer')]);
  });

  it('deploys the same bundle with the same settings and variables to both, and hands chat jobs to the one without HTTP', () => {
    // Its paths are relative to deploy/, as Serverless Devs resolves them.
    expect(resolve(ROOT, 'deploy', http.code)).toBe(resolve(ROOT, props.code));
    expect(resolve(ROOT, 'deploy', events.code)).toBe(resolve(ROOT, props.code));
    expect(resolve(ROOT, 'deploy', two.resources['create-bandwidth-plan'].actions['pre-deploy'][0].path)).toBe(ROOT);
    for (const key of SAME_FUNCTION_SETTINGS) {
      expect(http[key], key).toEqual(renderedProps[key] === undefined ? undefined : key === 'environmentVariables' ? events[key] : renderedProps[key]);
      expect(events[key], key).toEqual(
        key === 'environmentVariables' ? { ...renderedProps[key], CHATOPS_JOB_FUNCTION: 'create-bandwidth-plan' } : renderedProps[key],
      );
    }
    const deployment = readDeployment(path);
    expect(deployment.http.name).toBe('create-bandwidth-plan-http');
    expect(deployment.jobs.name).toBe('create-bandwidth-plan');
    expect(deployment.jobs.triggers.some((one) => one.triggerType === 'http')).toBe(false);
    expect(loadConfig(http.environmentVariables).chatops.jobFunction).toBe('create-bandwidth-plan');
  });

  it('runs one invocation at a time on each function: two purchases can race only across the two', () => {
    expect(events.concurrencyConfig).toEqual({ reservedConcurrency: 1 });
    expect(http.concurrencyConfig).toEqual({ reservedConcurrency: 1 });
  });

  it('keeps FC’s async settings on the function that runs async events', () => {
    expect(events.asyncInvokeConfig).toEqual(renderedProps.asyncInvokeConfig);
  });
});

describe('deploy/ RAM policies', () => {
  const policy = readJson('deploy/ram-policy.json');
  const statements: { Action: string | string[]; Resource: string }[] = policy.Statement;
  const resourceOf = (action: string) => statements.find((statement) => [statement.Action].flat().includes(action))?.Resource;

  it('allows exactly the four actions the function calls', () => {
    expect(statements.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
      'cen:CreateCenBandwidthPackage',
      'cen:DescribeCenBandwidthPackages',
      'fc:InvokeFunction',
      'mns:PublishMessage',
    ]);
    expect(statements.every((statement) => (statement as { Effect?: string }).Effect === 'Allow')).toBe(true);
  });

  it('limits publishing to the topic and invoking to the function that runs chat jobs, in either layout', () => {
    expect(resourceOf('mns:PublishMessage')).toBe('acs:mns:{region}:{accountId}:/topics/{topic}/messages');
    for (const layout of ['s.yaml', 'deploy/s.two-functions.yaml']) {
      expect(resourceOf('fc:InvokeFunction')).toBe(`acs:fc:{region}:{accountId}:functions/${readDeployment(resolve(ROOT, layout)).jobs.name}`);
    }
  });

  it('lets Function Compute, and only it, assume the role', () => {
    expect(readJson('deploy/trust-policy.json').Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['fc.aliyuncs.com'] } },
    ]);
  });
});

describe('s preview (offline)', () => {
  const S_CLI = resolve(ROOT, 'node_modules', '@serverless-devs', 's', 'bin', 's');
  const WEBHOOK_SECRET = 'preview-webhook-secret-0123456789abcdef';

  async function preview(templatePath: string): Promise<any> {
    // Serverless Devs writes logs (rendered secrets included) under $HOME/.s: keep them out of the real home.
    const home = mkdtempSync(join(tmpdir(), 's-preview-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [S_CLI, 'preview', '-t', templatePath, '-o', 'json'], {
        cwd: ROOT,
        env: cleanEnv({ HOME: home, WEBHOOK_SECRET }),
        timeout: 30_000,
      });
      return JSON.parse(stdout.slice(stdout.indexOf('{')));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  it('renders the template, with secrets from the environment and a configuration the function accepts', async () => {
    const previewed = await preview('s.yaml');
    const previewedProps = previewed.resources['create-bandwidth-plan'].props;
    expect(previewedProps.role).toBe('acs:ram::1234567890123456:role/create-bandwidth-plan-fc');
    expect(previewedProps.environmentVariables).toMatchObject({ WEBHOOK_SECRET, SLACK_SIGNING_SECRET: '', NOTIFY_TOPIC: 'bandwidth-plan-events' });
    const config = loadConfig(previewedProps.environmentVariables);
    expect(config).toMatchObject({ webhookSecrets: [WEBHOOK_SECRET], waitSeconds: 20, notifyTopic: 'bandwidth-plan-events' });
  }, 40_000);

  // local/deployment.ts renders templates itself for npm start and npm run smoke: it must read them as s does.
  it.each(['s.yaml', 'deploy/s.two-functions.yaml'])(
    'renders %s as local/deployment.ts does',
    async (templatePath) => {
      const previewed = await preview(templatePath);
      expect(renderTemplate(resolve(ROOT, templatePath), { WEBHOOK_SECRET }).resources).toEqual(previewed.resources);
    },
    40_000,
  );
});

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
import { validateBandwidthPlan } from '../../shared/core/schema';
import { EnvironmentSchema, loadConfig } from '../../shared/runtime/config';
import { CHAT_JOB_MAX_AGE_MS } from '../../shared/sources/chat/jobs';
import { cleanEnv, ROOT } from './processes';

const template = parse(readFileSync(resolve(ROOT, 's.yaml'), 'utf8'));
const fn = template.resources['create-bandwidth-plan'];
const props = fn.props;
const variables: Record<string, string> = props.environmentVariables;
const trigger = (type: string) => props.triggers.find((one: { triggerType: string }) => one.triggerType === type);
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

  it('declares every variable shared/config.ts reads, and nothing else', () => {
    expect(Object.keys(variables).sort()).toEqual([...FUNCTION_VARIABLES].sort());
  });

  it.each(FUNCTION_VARIABLES.filter((name) => SECRET_LOOKING.test(name)))('takes %s from the deploying shell, never a literal', (name) => {
    expect(variables[name]).toBe(`\${env('${name}', '')}`);
  });

  it('has an anonymous HTTP trigger for POST and GET: the code authenticates every request', () => {
    expect(trigger('http').triggerConfig).toMatchObject({ authType: 'anonymous' });
    expect([...trigger('http').triggerConfig.methods].sort()).toEqual(['GET', 'POST']);
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

  it('limits publishing to the topic and invoking to this function', () => {
    expect(resourceOf('mns:PublishMessage')).toBe('acs:mns:{region}:{accountId}:/topics/{topic}/messages');
    expect(resourceOf('fc:InvokeFunction')).toBe(`acs:fc:{region}:{accountId}:functions/${props.functionName}`);
  });

  it('lets Function Compute, and only it, assume the role', () => {
    expect(readJson('deploy/trust-policy.json').Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['fc.aliyuncs.com'] } },
    ]);
  });
});

describe('s preview (offline)', () => {
  const S_CLI = resolve(ROOT, 'node_modules', '@serverless-devs', 's', 'bin', 's');

  it('renders the template, with secrets from the environment and a configuration the function accepts', async () => {
    // Serverless Devs writes logs (rendered secrets included) under $HOME/.s: keep them out of the real home.
    const home = mkdtempSync(join(tmpdir(), 's-preview-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [S_CLI, 'preview', '-o', 'json'], {
        cwd: ROOT,
        env: cleanEnv({ HOME: home, WEBHOOK_SECRET: 'preview-webhook-secret-0123456789abcdef' }),
        timeout: 30_000,
      });
      const rendered = JSON.parse(stdout.slice(stdout.indexOf('{')));
      const renderedProps = rendered.resources['create-bandwidth-plan'].props;
      expect(renderedProps.role).toBe('acs:ram::1234567890123456:role/create-bandwidth-plan-fc');
      expect(renderedProps.environmentVariables).toMatchObject({
        WEBHOOK_SECRET: 'preview-webhook-secret-0123456789abcdef',
        SLACK_SIGNING_SECRET: '',
        NOTIFY_TOPIC: 'bandwidth-plan-events',
      });
      const config = loadConfig(renderedProps.environmentVariables);
      expect(config).toMatchObject({ webhookSecrets: ['preview-webhook-secret-0123456789abcdef'], waitSeconds: 20, notifyTopic: 'bandwidth-plan-events' });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 40_000);
});

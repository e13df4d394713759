/**
 * `npm run smoke`: after a deploy, proves each piece a first deploy can get wrong, and buys nothing.
 * One line per check; a failed check says how to fix it. Exit code 1 when any check fails.
 *
 *   SMOKE_URL        the HTTP trigger's URL (`s info`)
 *   WEBHOOK_SECRET   the secret deployed (the first, when several)
 *   FC_REGION, FC_ACCOUNT_ID (or FC_ENDPOINT)   where the functions run
 *   ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET [, ALIBABA_CLOUD_SECURITY_TOKEN]
 *                    keys allowed fc:InvokeFunction and fc:ListTriggers on the functions (yours, not the role's)
 *   --template <file>   the template deployed (default s.yaml): which functions and triggers to expect
 *
 * The checks: an unsigned request is refused (401); a signed dry run answers 200 with the normalised
 * request; a made-up plan id answers 404, which takes a DescribeCenBandwidthPackages call with the role;
 * a synchronous InvokeFunction `ping` reaches the function that runs chat jobs (FC would refuse it
 * there if it refused to invoke a function with an HTTP trigger); the ping, asked to, publishes a
 * `cen.bandwidthplan.test` event with the role; every trigger of the template exists (ListTriggers).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FcClient } from '../shared/clients/fc/client';
import { asBandwidthPlanError } from '../shared/core/errors';
import type { Credentials } from '../shared/runtime/credentials';
import type { HttpTransport } from '../shared/runtime/http';
import { DEMO_PLAN } from './banner';
import { type DeployedFunction, type DeployedTrigger, type Deployment, readDeployment } from './deployment';
import { DEFAULT_TEMPLATE } from './environment';
import { webhookSignature } from './signatures';

export interface SmokeSettings {
  readonly url: string;
  readonly webhookSecret: string;
  readonly fcEndpoint: string;
  readonly credentials: Credentials;
  readonly deployment: Deployment;
  /** The commit checked out here, to compare with the deployed build's. */
  readonly localCommit?: string | undefined;
}

export type Verdict = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  readonly verdict: Verdict;
  readonly name: string;
  readonly detail: string;
  /** What to do, for a warning or a failure. */
  readonly fix?: string;
}

/** Far more than any check takes: a stuck call fails its check instead of hanging the command. */
const CALL_DEADLINE_MS = 30_000;
const MADE_UP_PLAN = 'cenbwp-smokecheck0000000000';
const README_LAYOUT = 'README, "If FC refuses the layout"';

type Env = Readonly<Record<string, string | undefined>>;

/** The settings from the environment, or the list of what is missing. */
export function smokeSettings(env: Env, templatePath: string): SmokeSettings | { missing: string[] } {
  const missing: string[] = [];
  const need = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) missing.push(name);
    return value ?? '';
  };
  const url = need('SMOKE_URL');
  const webhookSecret = (env.WEBHOOK_SECRET ?? '').split(',')[0]?.trim() ?? '';
  if (!webhookSecret) missing.push('WEBHOOK_SECRET');
  const accessKeyId = need('ALIBABA_CLOUD_ACCESS_KEY_ID');
  const accessKeySecret = need('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  let fcEndpoint = env.FC_ENDPOINT?.trim() ?? '';
  if (!fcEndpoint) {
    const region = need('FC_REGION');
    const account = need('FC_ACCOUNT_ID');
    fcEndpoint = `https://${account}.${region}.fc.aliyuncs.com`;
  }
  if (missing.length > 0) return { missing };
  const securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN?.trim();
  return {
    url: url.replace(/\/+$/, ''),
    webhookSecret,
    fcEndpoint,
    credentials: { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) },
    deployment: readDeployment(templatePath, env),
  };
}

interface HttpResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function request(
  settings: SmokeSettings,
  method: 'GET' | 'POST',
  path: string,
  query: Record<string, string>,
  body: string,
  signed: boolean,
): Promise<HttpResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signed) {
    const seconds = Math.floor(Date.now() / 1000);
    headers['x-webhook-timestamp'] = String(seconds);
    headers['x-webhook-signature'] = webhookSignature(settings.webhookSecret, seconds, body, { method, path, query });
  }
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${settings.url}${path}${search ? `?${search}` : ''}`, {
    method,
    headers,
    ...(method === 'POST' ? { body } : {}),
    signal: AbortSignal.timeout(CALL_DEADLINE_MS),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text: text.slice(0, 200) };
  }
  return { status: response.status, body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {} };
}

const errorOf = (body: Record<string, unknown>): { code: string; message: string } => {
  const error = (body.error ?? {}) as { code?: unknown; message?: unknown };
  return { code: String(error.code ?? ''), message: String(error.message ?? body.text ?? '') };
};

/** What an answer the check did not expect means, and what to do. */
function unexpected(name: string, expected: string, result: HttpResult): CheckResult {
  const { code, message } = errorOf(result.body);
  const said = `${result.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
  if (result.status === 500 && /misconfigured/.test(message)) {
    return {
      verdict: 'fail',
      name,
      detail: `answered ${said}`,
      fix: 'the function refuses its configuration: its log names the variable (`s logs`), fix it and redeploy',
    };
  }
  if (result.status === 401) {
    return {
      verdict: 'fail',
      name,
      detail: `answered ${said}`,
      fix: 'WEBHOOK_SECRET here is not the one deployed: export the secret you deployed with (s.yaml reads it from the deploying shell)',
    };
  }
  if (result.status === 403) {
    return { verdict: 'fail', name, detail: `answered ${said}`, fix: 'attach deploy/ram-policy.json to the function role (vars.roleName in s.yaml)' };
  }
  return { verdict: 'fail', name, detail: `expected ${expected}, answered ${said}` };
}

async function attempt(name: string, check: () => Promise<CheckResult>, fixWhenUnreachable: string): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    const problem = asBandwidthPlanError(error);
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return { verdict: 'fail', name, detail: `${problem.code}: ${problem.message}${cause}`, fix: fixWhenUnreachable };
  }
}

const UNREACHABLE_URL = 'check SMOKE_URL: the HTTP trigger URL `s info` prints (https://…fcapp.run)';

export async function unsignedRefused(settings: SmokeSettings): Promise<CheckResult> {
  const name = 'HTTP trigger refuses an unsigned request';
  return attempt(
    name,
    async () => {
      const result = await request(settings, 'POST', '/bandwidth-plans', { dryRun: 'true' }, JSON.stringify(DEMO_PLAN), false);
      if (result.status === 401) return { verdict: 'pass', name, detail: '401' };
      if (result.status < 300) {
        return {
          verdict: 'fail',
          name,
          detail: `answered ${result.status} to an unsigned request`,
          fix: 'this is not this function, or not this build: redeploy and check SMOKE_URL',
        };
      }
      return unexpected(name, '401', result);
    },
    UNREACHABLE_URL,
  );
}

export async function signedDryRun(settings: SmokeSettings): Promise<CheckResult[]> {
  const name = 'HTTP trigger answers a signed dry run';
  const results: CheckResult[] = [];
  results.push(
    await attempt(
      name,
      async () => {
        const result = await request(settings, 'POST', '/bandwidth-plans', { dryRun: 'true' }, JSON.stringify(DEMO_PLAN), true);
        if (result.status !== 200) {
          if (result.status === 400 && errorOf(result.body).code === 'GuardrailViolation') {
            return { verdict: 'pass', name, detail: `signature accepted; the guardrails refuse the sample plan (${errorOf(result.body).message})` };
          }
          return unexpected(name, '200', result);
        }
        const billing = (result.body.billing ?? {}) as { summary?: string };
        const sent = (result.body.request ?? {}) as Record<string, unknown>;
        if (sent.BandwidthPackageChargeType === 'POSTPAY') {
          results.push({
            verdict: 'warn',
            name: 'requests without a charge type',
            detail: 'are sent as POSTPAY, which most accounts can no longer buy (UnSupported.ChargeType)',
            fix: 'set DEFAULT_CHARGE_TYPE=PREPAY (and DEFAULT_PERIOD) in the deploying shell and redeploy, or send PREPAY with a Period',
          });
        }
        return { verdict: 'pass', name, detail: `200, would send ${billing.summary ?? JSON.stringify(sent)}` };
      },
      UNREACHABLE_URL,
    ),
  );
  return results;
}

export async function madeUpPlanNotFound(settings: SmokeSettings): Promise<CheckResult> {
  const name = 'the role can describe plans (a made-up plan id is 404)';
  return attempt(
    name,
    async () => {
      const result = await request(settings, 'GET', `/bandwidth-plans/${MADE_UP_PLAN}`, {}, '', true);
      if (result.status === 404) return { verdict: 'pass', name, detail: '404 from DescribeCenBandwidthPackages' };
      if (result.status === 403 || (result.status >= 500 && /Forbidden|NoPermission|AccessDenied|Unauthorized/.test(errorOf(result.body).code))) {
        return {
          verdict: 'fail',
          name,
          detail: `answered ${result.status} ${errorOf(result.body).code}`,
          fix: 'the role may not call cen:DescribeCenBandwidthPackages: attach deploy/ram-policy.json to it',
        };
      }
      return unexpected(name, '404', result);
    },
    UNREACHABLE_URL,
  );
}

interface PingAnswer {
  readonly pong?: boolean;
  readonly build?: { version?: string; commit?: string };
  readonly configurationError?: string;
  readonly configuration?: { chatJobsRunIn?: string };
  readonly published?: { delivered: boolean; messageId?: string; disabled?: boolean; error?: { code: string; message: string } };
  readonly statusCode?: number;
}

async function ping(settings: SmokeSettings, client: FcClient, publish: boolean): Promise<PingAnswer> {
  const answer = await client.invoke(
    { functionName: settings.deployment.jobs.name, payload: JSON.stringify({ ping: publish ? { publish: true } : {} }), async: false },
    { credentials: settings.credentials, deadline: Date.now() + CALL_DEADLINE_MS },
  );
  if (answer.functionError) throw new Error(`the function failed (${answer.functionError}): ${answer.body.slice(0, 300)}`);
  return JSON.parse(answer.body) as PingAnswer;
}

/** FC's answers that mean the caller's keys, not the deployment. */
const KEY_PROBLEM =
  /^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|MissingSecurityToken|InvalidSecurityToken|InvalidTimeStamp|AccessDenied|Forbidden|Unauthorized|NoPermission)/;

const fcFix = (fn: DeployedFunction, code: string, http: boolean): string => {
  if (code === 'FunctionNotFound')
    return `no function ${fn.name} at this FC endpoint: check FC_REGION and FC_ACCOUNT_ID (or FC_ENDPOINT) and the template (--template)`;
  if (KEY_PROBLEM.test(code)) {
    return 'check ALIBABA_CLOUD_ACCESS_KEY_ID, _SECRET and (for STS keys) _SECURITY_TOKEN: they must be valid and allowed fc:InvokeFunction and fc:ListTriggers on the functions';
  }
  if (code === 'NetworkError' || code === 'DeadlineExceeded') return 'check FC_REGION and FC_ACCOUNT_ID (or FC_ENDPOINT): FC did not answer';
  return http
    ? `FC will not InvokeFunction a function with an HTTP trigger, so chat purchases cannot start: deploy deploy/s.two-functions.yaml (${README_LAYOUT})`
    : 'read the function log (`s logs`)';
};

/** The ping and the publish: one InvokeFunction each, on the function chat jobs are handed to. */
export async function invocationChecks(settings: SmokeSettings, client: FcClient): Promise<CheckResult[]> {
  const fn = settings.deployment.jobs;
  const hasHttp = fn.triggers.some((trigger) => trigger.triggerType === 'http');
  const name = `InvokeFunction reaches ${fn.name}${hasHttp ? ' though it has an HTTP trigger' : ''}`;
  let answer: PingAnswer;
  try {
    answer = await ping(settings, client, false);
  } catch (error) {
    const problem = asBandwidthPlanError(error);
    const code = problem.code;
    return [
      { verdict: 'fail', name, detail: `${code}: ${problem.message}`, fix: fcFix(fn, code, hasHttp) },
      { verdict: 'fail', name: 'the role can publish to the topic', detail: 'not checked: the ping did not answer', fix: 'fix the check above first' },
    ];
  }
  if (typeof answer.statusCode === 'number' && answer.pong === undefined) {
    // FC wrapped the call as an HTTP request (seen once, docs/sources.md): chat jobs still arrive that
    // way (they carry a MAC), but the ping is not served over HTTP.
    return [
      {
        verdict: 'warn',
        name,
        detail: `FC delivered the call as an HTTP request (the function answered ${answer.statusCode}): chat jobs arrive this way too and are served`,
        fix: `to run the remaining checks, deploy deploy/s.two-functions.yaml (${README_LAYOUT})`,
      },
      {
        verdict: 'warn',
        name: 'the role can publish to the topic',
        detail: 'not checked: the ping cannot be answered through the HTTP route',
        fix: 'watch the topic on the first purchase',
      },
    ];
  }
  const results: CheckResult[] = [];
  if (answer.configurationError) {
    results.push({
      verdict: 'fail',
      name,
      detail: `reached; the function refuses its configuration: ${answer.configurationError}`,
      fix: 'fix the variable named and redeploy',
    });
    return results;
  }
  const build = `${answer.build?.version ?? '?'} (${answer.build?.commit ?? '?'})`;
  results.push({ verdict: 'pass', name, detail: `pong from build ${build}; chat jobs run in ${answer.configuration?.chatJobsRunIn ?? '?'}` });
  if (settings.localCommit && answer.build?.commit && answer.build.commit !== 'unknown' && answer.build.commit !== settings.localCommit) {
    results.push({
      verdict: 'warn',
      name: 'deployed build',
      detail: `is commit ${answer.build.commit}, this checkout is ${settings.localCommit}`,
      fix: 'redeploy if you meant to test this checkout',
    });
  }
  results.push(await publishCheck(settings, client));
  return results;
}

async function publishCheck(settings: SmokeSettings, client: FcClient): Promise<CheckResult> {
  const name = 'the role can publish to the topic';
  try {
    const { published } = await ping(settings, client, true);
    if (published?.delivered) return { verdict: 'pass', name, detail: `cen.bandwidthplan.test published (MessageTag test, message ${published.messageId})` };
    if (published?.disabled) {
      return {
        verdict: 'fail',
        name,
        detail: 'NOTIFY_TOPIC is not set: outcomes are only logged',
        fix: 'set vars.topic in s.yaml to your MNS topic and redeploy',
      };
    }
    const code = published?.error?.code ?? 'unknown';
    const fix =
      code === 'TopicNotExist'
        ? 'create the topic (vars.topic in s.yaml) in the function’s region, or fix its name'
        : /AccessDenied|Forbidden|Unauthorized/.test(code)
          ? 'grant the role mns:PublishMessage on the topic: attach deploy/ram-policy.json'
          : 'read the function log (`s logs`)';
    return { verdict: 'fail', name, detail: `${code}: ${published?.error?.message ?? 'no report'}`, fix };
  } catch (error) {
    const problem = asBandwidthPlanError(error);
    return { verdict: 'fail', name, detail: `${problem.code}: ${problem.message}`, fix: 'read the function log (`s logs`)' };
  }
}

/** The template's scalar settings of a trigger that FC answers differently mean a stale deploy. */
function configDifference(expected: DeployedTrigger, deployedConfig: string | undefined): string | undefined {
  let deployed: Record<string, unknown>;
  try {
    deployed = JSON.parse(deployedConfig ?? '{}') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const wanted = JSON.parse(expected.triggerConfig) as Record<string, unknown>;
  for (const [key, value] of Object.entries(wanted)) {
    // Only what FC echoes as it was given; nested settings FC reshapes are not compared.
    if (typeof value === 'object' || !(key in deployed)) continue;
    if (deployed[key] !== value) return `${key} is ${JSON.stringify(deployed[key])}, the template says ${JSON.stringify(value)}`;
  }
  return undefined;
}

export async function triggerChecks(settings: SmokeSettings, client: FcClient): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const fn of settings.deployment.functions) {
    let deployed: Awaited<ReturnType<FcClient['listTriggers']>>;
    try {
      deployed = await client.listTriggers(fn.name, { credentials: settings.credentials, deadline: Date.now() + CALL_DEADLINE_MS });
    } catch (error) {
      const problem = asBandwidthPlanError(error);
      const code = problem.code;
      results.push({ verdict: 'fail', name: `triggers of ${fn.name}`, detail: `${code}: ${problem.message}`, fix: fcFix(fn, code, false) });
      continue;
    }
    for (const expected of fn.triggers) {
      const name = `${fn.name} has its ${expected.triggerType} trigger "${expected.triggerName}"`;
      const found = deployed.find((trigger) => trigger.triggerName === expected.triggerName);
      if (!found) {
        results.push({
          verdict: 'fail',
          name,
          detail: 'missing',
          fix:
            expected.triggerType === 'eventbridge'
              ? 'deploy again (`s deploy`); an EventBridge trigger needs EventBridge activated in the region and its service-linked role'
              : 'deploy again (`s deploy`) with this template',
        });
        continue;
      }
      if (found.triggerType !== expected.triggerType) {
        results.push({ verdict: 'fail', name, detail: `it is a ${found.triggerType} trigger`, fix: 'remove it and deploy again' });
        continue;
      }
      const difference = configDifference(expected, found.triggerConfig);
      results.push(
        difference
          ? { verdict: 'warn', name, detail: difference, fix: 'deploy again to apply the template' }
          : { verdict: 'pass', name, detail: 'as configured' },
      );
    }
  }
  return results;
}

export interface SmokeOptions {
  readonly transport?: HttpTransport;
}

export async function runSmoke(settings: SmokeSettings, options: SmokeOptions = {}): Promise<CheckResult[]> {
  const client = new FcClient({ endpoint: settings.fcEndpoint, ...(options.transport ? { transport: options.transport } : {}) });
  return [
    await unsignedRefused(settings),
    ...(await signedDryRun(settings)),
    await madeUpPlanNotFound(settings),
    ...(await invocationChecks(settings, client)),
    ...(await triggerChecks(settings, client)),
  ];
}

const MARK: Record<Verdict, string> = { pass: 'ok  ', warn: 'warn', fail: 'FAIL' };

export function report(results: readonly CheckResult[]): string {
  const lines = results.map((result) => `${MARK[result.verdict]}  ${result.name}: ${result.detail}${result.fix ? `\n      fix: ${result.fix}` : ''}`);
  const count = (verdict: Verdict) => results.filter((result) => result.verdict === verdict).length;
  lines.push('', `${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed. Nothing was bought.`);
  return lines.join('\n');
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { template: { type: 'string' } } });
  const settings = smokeSettings(process.env, values.template ? resolve(values.template) : DEFAULT_TEMPLATE);
  if ('missing' in settings) {
    console.error(`npm run smoke needs ${settings.missing.join(', ')} (see the comment at the top of local/smoke.ts, or README "After deploying").`);
    return 2;
  }
  const results = await runSmoke({ ...settings, localCommit: gitCommit() });
  console.log(report(results));
  return results.some((result) => result.verdict === 'fail') ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}

/**
 * `npm run invoke -- <event-file> [--remote] [--async]`: invokes the function with an event and
 * prints the result as JSON on stdout (an HTTP answer as its status and parsed body). The
 * function's logs go to stderr.
 *
 * Locally the built bundle runs against the embedded cloud, as under `npm start`. `--remote`
 * invokes the deployed function through FC 3.0 InvokeFunction (shared/clients/fc/client.ts). HTTP and chat
 * examples are stored unsigned and signed here, with a fresh timestamp (example-events.ts).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FcClient } from '../shared/clients/fc/client';
import { type Cloud, DEV_CREDENTIALS } from '../test/doubles';
import { FUNCTION_NAME, startLocalFunction } from './environment';
import { MissingSecretError, prepareEvent } from './example-events';

const USAGE = 'usage: npm run invoke -- <event-file> [--remote] [--async]';
/** How long an InvokeFunction call may take: the function's timeout plus a margin. */
const INVOKE_DEADLINE_MS = 90_000;

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A variable the remote invocation needs is not set. */
class NotConfiguredError extends Error {
  override readonly name = 'NotConfiguredError';
}

// The function logs to stdout; here stdout carries only the result, so the logs go to stderr.
const writeResult = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
const print = (value: unknown) => writeResult(`${JSON.stringify(value, null, 2)}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);

interface Options {
  readonly file: string;
  readonly remote: boolean;
  readonly async: boolean;
}

function readOptions(): Options {
  let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; options: { remote: { type: 'boolean' }; async: { type: 'boolean' } } }>>;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { remote: { type: 'boolean' }, async: { type: 'boolean' } } });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) throw new UsageError('give exactly one event file');
  return { file, remote: parsed.values.remote ?? false, async: parsed.values.async ?? false };
}

function readEvent(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A handler's answer as printed: an HTTP response as `{statusCode, body}` with the body parsed. */
function presentable(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || typeof (result as { statusCode?: unknown }).statusCode !== 'number') return result;
  const { statusCode, body, isBase64Encoded } = result as { statusCode: number; body?: unknown; isBase64Encoded?: boolean };
  if (typeof body !== 'string') return { statusCode, body };
  return { statusCode, body: parsedJson(isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body) };
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function invokeLocally(event: unknown, options: Options): Promise<number> {
  const fn = await startLocalFunction();
  try {
    const { cloud } = fn;
    if (!cloud) note(`using REAL cloud endpoints (CEN_ENDPOINT=${process.env.CEN_ENDPOINT}): plans cost money`);
    const replyUrls = cloud && {
      slackResponseUrl: () => cloud.chat.slackResponseUrl(),
      slackActionUrl: () => cloud.chat.slackActionUrl(),
      dingtalkSessionWebhook: () => cloud.chat.dingtalkSessionWebhook(),
    };
    const payload = JSON.stringify(prepareEvent(event, { env: process.env, ...(replyUrls ? { replyUrls } : {}) }));
    if (options.async) {
      if (!cloud) throw new UsageError('--async without --remote needs the embedded cloud: unset CEN_ENDPOINT, or add --remote');
      return await invokeThroughFcDouble(cloud, payload);
    }
    let exitCode: number = EXIT.ok;
    try {
      print(presentable(await fn.handler(Buffer.from(payload), fn.context())));
    } catch (error) {
      print({ error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) } });
      exitCode = EXIT.failed;
    }
    if (cloud) {
      // Chat-ops continues in async invocations: let them finish before looking.
      await cloud.fc.idle();
      summarise(cloud);
    }
    return exitCode;
  } finally {
    await fn.close();
  }
}

/** `--async` locally: InvokeFunction on the FC double, which runs the bundle in the background with FC's retries. */
async function invokeThroughFcDouble(cloud: Cloud, payload: string): Promise<number> {
  const invoker = new FcClient({ endpoint: cloud.fc.url });
  const accepted = await invoker.invoke(
    { functionName: FUNCTION_NAME, payload, async: true },
    { credentials: DEV_CREDENTIALS, deadline: Date.now() + INVOKE_DEADLINE_MS },
  );
  await cloud.fc.idle();
  const run = cloud.fc.invocations.find((invocation) => invocation.requestId === accepted.requestId);
  const invocation = run && { state: run.state, attempts: run.attempts, result: presentable(run.result), errors: run.errors.map(String) };
  print({ status: accepted.status, requestId: accepted.requestId, invocation });
  summarise(cloud);
  return run?.state === 'succeeded' ? EXIT.ok : EXIT.failed;
}

/** What the embedded cloud saw, on stderr: the effects beyond the answer. */
function summarise(cloud: Cloud): void {
  for (const plan of cloud.cen.plans)
    note(`local CEN: plan ${plan.id} ${plan.Bandwidth} Mbit/s ${plan.GeographicRegionAId}-${plan.GeographicRegionBId} ${plan.Status}`);
  for (const message of cloud.mns.messages) note(`local MNS: ${(parsedJson(message.body) as { type?: string }).type ?? message.tag} (${message.messageId})`);
  for (const invocation of cloud.fc.invocations)
    note(`local FC: ${invocation.async ? 'async' : 'sync'} invocation ${invocation.requestId} ${invocation.state}`);
  for (const reply of cloud.chat.replies) note(`local chat reply (${reply.platform}): ${JSON.stringify(reply.body)}`);
}

async function invokeRemotely(event: unknown, options: Options): Promise<number> {
  const env = process.env;
  const { ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret } = env;
  if (!accessKeyId || !accessKeySecret) {
    throw new NotConfiguredError(
      '--remote needs credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS keys).',
    );
  }
  const endpoint = env.FC_ENDPOINT || (env.FC_ACCOUNT_ID && env.FC_REGION ? `https://${env.FC_ACCOUNT_ID}.${env.FC_REGION}.fc.aliyuncs.com` : undefined);
  if (!endpoint) throw new NotConfiguredError('--remote needs the FC endpoint: set FC_ENDPOINT, or FC_ACCOUNT_ID and FC_REGION.');
  note(`invoking ${env.FC_FUNCTION_NAME || FUNCTION_NAME} at ${endpoint}${options.async ? ' (async)' : ''}`);
  const payload = JSON.stringify(prepareEvent(event, { env }));
  const credentials = { accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined };
  const answer = await new FcClient({ endpoint }).invoke(
    { functionName: env.FC_FUNCTION_NAME || FUNCTION_NAME, payload, async: options.async },
    { credentials, deadline: Date.now() + INVOKE_DEADLINE_MS },
  );
  if (options.async) {
    print({ status: answer.status, requestId: answer.requestId });
    return EXIT.ok;
  }
  const result = parsedJson(answer.body);
  print(presentable(result));
  // InvokeFunction answers a function error with HTTP 200 and `{errorMessage, errorType}`.
  return typeof result === 'object' && result !== null && 'errorMessage' in result ? EXIT.failed : EXIT.ok;
}

async function main(): Promise<number> {
  try {
    const options = readOptions();
    const event = readEvent(options.file);
    return await (options.remote ? invokeRemotely(event, options) : invokeLocally(event, options));
  } catch (error) {
    if (error instanceof UsageError) {
      note(`${error.message}\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof MissingSecretError || error instanceof NotConfiguredError) {
      note(error.message);
      return EXIT.usage;
    }
    note(`invoke failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

void main().then((code) => process.exit(code));

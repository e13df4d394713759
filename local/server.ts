/**
 * `npm start`: the built function behind a local FC 3.0 HTTP trigger on 127.0.0.1:9000 (`PORT`
 * overrides, `PORT=0` picks a free port), against the embedded loopback cloud unless real
 * endpoints and credentials are configured (see environment.ts). `--template <file>` runs the
 * functions and triggers of another Serverless Devs template (deploy/s.two-functions.yaml).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BodyTooLargeError, readBody } from '../test/doubles/server';
import { banner } from './banner';
import { type LocalFunction, type LocalFunctionOptions, startLocalFunction } from './environment';
import { toHttpTriggerEvent, triggerRequestOf, writeHttpTriggerResponse } from './http-trigger';
import { INSPECTION_PREFIX, inspect } from './inspection';

const DEFAULT_PORT = 9000;
/** FC's limit for a synchronous request body. */
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
/** Shutdown waits this long for servers to close, then exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    console.error(`PORT must be a whole number from 0 to 65535 (got "${value}").`);
    process.exit(1);
  }
  return port;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(`${JSON.stringify(body, null, 2)}\n`);
}

async function serve(fn: LocalFunction, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(request, MAX_REQUEST_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return sendJson(response, 413, { error: { code: 'PayloadTooLarge', message: error.message } });
  }
  const path = (request.url ?? '/').split('?')[0]!;
  if (path.startsWith(INSPECTION_PREFIX)) {
    if (!fn.cloud) return sendJson(response, 404, { error: { code: 'NotFound', message: 'No local cloud: this run uses the real cloud endpoints.' } });
    const view = request.method === 'GET' ? inspect(fn.cloud, path.slice(INSPECTION_PREFIX.length)) : undefined;
    return view === undefined
      ? sendJson(response, 404, { error: { code: 'NotFound', message: `No local route ${request.method} ${path}` } })
      : sendJson(response, 200, view);
  }
  const context = fn.context();
  const event = toHttpTriggerEvent(triggerRequestOf(request, body), context.accountId ?? '');
  try {
    writeHttpTriggerResponse(response, await fn.handler(Buffer.from(JSON.stringify(event)), context));
  } catch (error) {
    // The handler answers every HTTP request itself; a throw is a bug worth seeing in full.
    console.error('the function threw:', error);
    sendJson(response, 502, { error: { code: 'FunctionError', message: error instanceof Error ? error.message : String(error) } });
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export interface LocalServer {
  readonly url: string;
  readonly fn: LocalFunction;
  close(): Promise<void>;
}

/** The local HTTP trigger in front of the function the template gives the HTTP trigger. */
export async function startLocalServer(port: number, options: LocalFunctionOptions = {}): Promise<LocalServer> {
  const fn = await startLocalFunction(options);
  const server = createServer((request, response) => {
    serve(fn, request, response).catch((error: unknown) => {
      console.error('local trigger failed:', error);
      if (!response.headersSent) sendJson(response, 500, { error: { code: 'InternalError', message: String(error) } });
      else response.destroy();
    });
  });
  try {
    await listen(server, port);
  } catch (error) {
    await fn.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `Port ${port} on 127.0.0.1 is already in use: stop what uses it, or set PORT (PORT=0 picks a free port).`
        : `Cannot listen on 127.0.0.1:${port}: ${String(error)}`,
      { cause: error },
    );
  }
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fn,
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await Promise.all([closed, fn.close()]);
    },
  };
}

async function main(): Promise<void> {
  const port = portFromEnv(process.env.PORT);
  const { values } = parseArgs({ options: { template: { type: 'string' } } });
  const { url, fn, close } = await startLocalServer(port, values.template ? { template: values.template } : {});
  console.log(
    banner({
      url,
      webhookSecret: process.env.WEBHOOK_SECRET?.split(',')[0]?.trim() || undefined,
      local: fn.cloud !== undefined,
      now: Date.now(),
      ...(fn.cloud ? { fcEndpoint: fn.cloud.fc.url, template: values.template ?? 's.yaml' } : {}),
    }),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    void close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

/**
 * `npm start` as a developer meets it (the build is done by the global setup): the printed URL
 * serves the built function behind a local HTTP trigger, the embedded cloud shows the effects, and
 * the process stops cleanly.
 */
import { createHmac } from 'node:crypto';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SECRETS } from '../../local/environment';
import { cleanEnv, type Running, runTsx, start } from './processes';

const STARTUP_MS = 20_000;
const EXIT_MS = 10_000;

const sign = (timestamp: number, body: string) => `v1=${createHmac('sha256', LOCAL_SECRETS.WEBHOOK_SECRET).update(`${timestamp}.${body}`).digest('hex')}`;

async function getJson(url: string): Promise<any> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.json();
}

describe('npm start (local/server.ts)', () => {
  let server: Running;
  let url = '';

  beforeAll(async () => {
    server = start('local/server.ts', [], cleanEnv({ PORT: '0' }));
    url = (await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, STARTUP_MS))[1]!;
  });
  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('prints a signed curl that works as printed, and where to see the result', async () => {
    const banner = (await server.waitFor(/Stop with Ctrl\+C\./, STARTUP_MS)).input;
    const header = (name: string) => new RegExp(`-H '${name}: ([^']+)'`).exec(banner)?.[1] ?? '';
    expect(banner).toContain('valid for 300 s');
    expect(banner).toContain(`curl -sS ${url}/_local/plans`);
    expect(banner).toContain('npm run invoke -- examples/http-create.json');
    const response = await fetch(`${url}/bandwidth-plans`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': header('Idempotency-Key'),
        'X-Webhook-Timestamp': header('X-Webhook-Timestamp'),
        'X-Webhook-Signature': header('X-Webhook-Signature'),
      },
      body: /--data-raw '([^']+)'/.exec(banner)?.[1],
    });
    expect(response.status).toBe(201);
  });

  it('answers a signed POST /bandwidth-plans with 201, shows the plan and publishes the outcome', async () => {
    const body = JSON.stringify({ Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${url}/bandwidth-plans`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Webhook-Timestamp': String(timestamp), 'X-Webhook-Signature': sign(timestamp, body) },
      body,
    });
    const answer = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(201);
    expect(answer.CenBandwidthPackageId).toMatch(/^cenbwp-/);

    const plans = await getJson(`${url}/_local/plans`);
    expect(plans).toContainEqual(
      expect.objectContaining({ id: answer.CenBandwidthPackageId, Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe' }),
    );
    const messages: any[] = await getJson(`${url}/_local/messages`);
    const message = messages.find((candidate) => candidate.body.data?.result?.CenBandwidthPackageId === answer.CenBandwidthPackageId);
    expect(message.topic).toBe('bandwidth-plan-events');
    expect(message.body.type).toMatch(/^cen\.bandwidthplan\.(created|pending)$/);
  });

  it('refuses an unsigned request with 401, as the deployed function does', async () => {
    const response = await fetch(`${url}/bandwidth-plans`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).error.code).toBe('Unauthorized');
  });

  it.each(['replies', 'invocations'])('serves GET /_local/%s as a JSON list', async (name) => {
    expect(Array.isArray(await getJson(`${url}/_local/${name}`))).toBe(true);
  });

  it('answers 404 for an unknown local route', async () => {
    expect((await fetch(`${url}/_local/nothing`)).status).toBe(404);
  });

  it('stops on SIGINT with exit code 0', async () => {
    server.child.kill('SIGINT');
    const result = await server.exit(EXIT_MS);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SIGINT: stopping');
  });
});

describe('npm start on a port already taken', () => {
  let blocker: Server;
  let port = 0;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('exits with code 1 and a one-line message', async () => {
    const result = await runTsx('local/server.ts', [], cleanEnv({ PORT: String(port) }), STARTUP_MS + EXIT_MS);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use: stop what uses it, or set PORT (PORT=0 picks a free port).\n`);
  });
});

/**
 * The HTTP surface, tested as a table derived from the shipped OpenAPI document: every documented
 * route, method, query value and header is understood; every other method, query parameter, value,
 * repetition or meaning-changing header is refused with a 400/405 naming it, at no cost. Every answer
 * is checked against the document's own schema for its status, by ajv (not by this project's code).
 */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../local/openapi';
import { type Harness, type HttpAnswer, type HttpCall, httpEvent, startHarness, VALID_PLAN } from '../support/harness';

const DOCUMENT_PATH = resolve(__dirname, '../../docs/openapi.json');
const documentText = readFileSync(DOCUMENT_PATH, 'utf8');
const document = JSON.parse(documentText) as {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema: { enum?: string[]; pattern?: string } }[];
        responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
        'x-internal'?: boolean;
      }
    >
  >;
  components: { schemas: Record<string, unknown> };
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'doc', components: document.components }, 'doc');

/** Fails unless the answer's status is documented for the operation and its body matches that status's schema. */
function expectDocumented(path: string, method: string, answer: HttpAnswer): void {
  const responses = document.paths[path]![method.toLowerCase()]!.responses;
  expect(Object.keys(responses), `status ${answer.status} is not documented for ${method} ${path}`).toContain(String(answer.status));
  const schema = responses[String(answer.status)]!.content?.['application/json']?.schema as { $ref?: string } | undefined;
  if (!schema?.$ref) return;
  const check = ajv.compile({ $ref: `doc${schema.$ref}` });
  expect(check(answer.body), JSON.stringify(check.errors)).toBe(true);
}

describe('the OpenAPI document', () => {
  it('is exactly what the route table and the schemas generate (run npm run openapi after changing them)', () => {
    expect(documentText).toBe(renderOpenApi());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(await validate(JSON.parse(documentText))).toMatchObject({ valid: true });
  });

  it('ships beside the bundle and is served at GET /openapi.json without a signature', async () => {
    expect(readFileSync(resolve(__dirname, '../../dist/create-bandwidth-plan/openapi.json'), 'utf8')).toBe(documentText);
    const h = await startHarness({ handler: { openApiPath: DOCUMENT_PATH } });
    try {
      const answer = await h.http({ method: 'GET', path: '/openapi.json', sign: false });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(JSON.parse(documentText));
    } finally {
      await h.close();
    }
  });
});

const PUBLIC = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([, operation]) => !operation['x-internal'])
    .map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);

/** A concrete path for a template (`{id}` → an id that exists, `{platform}` → slack). */
const concrete = (path: string, planId: string) => path.replace('{id}', planId).replace('{platform}', 'slack');

/** Spellings a careless client sends for an enum value: other cases, numbers, blanks, a repeated key. */
const misspellings = (value: string) => [
  value.toUpperCase(),
  value[0]!.toUpperCase() + value.slice(1),
  ` ${value}`,
  `${value} `,
  '1',
  '0',
  'yes',
  '',
  `${value},${value}`,
  `${value},x`,
];

let h: Harness;
let planId: string;
beforeAll(async () => {
  h = await startHarness();
  const created = await h.http({ path: '/bandwidth-plans', body: VALID_PLAN });
  planId = created.body.CenBandwidthPackageId;
});
afterAll(async () => {
  await h.close();
});

/** Sends a call and reports what it cost: CEN creates, any CEN call, MNS messages. */
async function send(call: HttpCall): Promise<{ answer: HttpAnswer; creates: number; cenCalls: number; messages: unknown[] }> {
  const before = { cen: h.cen.requests.length, creates: h.cen.plans.length, messages: h.mns.messages.length };
  const answer = await h.http(call);
  return {
    answer,
    creates: h.cen.plans.length - before.creates,
    cenCalls: h.cen.requests.length - before.cen,
    messages: h.mns.messages.slice(before.messages).map((message) => JSON.parse(message.body)),
  };
}

const bodyFor = (method: string) => (method === 'POST' ? VALID_PLAN : undefined);

describe.each(PUBLIC)('$method $path', ({ path, method, operation }) => {
  const queryParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');

  it('answers another method with 405 and the documented one in Allow', async () => {
    for (const other of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'].filter(
      (candidate) => candidate !== method && !(candidate.toLowerCase() in document.paths[path]!),
    )) {
      const { answer, cenCalls } = await send({ method: other, path: concrete(path, planId), body: bodyFor(other) });
      // Every method the path documents, in the route table's order.
      const allowed = Object.keys(document.paths[path]!).map((documented) => documented.toUpperCase());
      expect([answer.status, answer.headers.allow]).toEqual([405, allowed.join(', ')]);
      expect(cenCalls).toBe(0);
    }
  });

  it.each(['dryrun', 'dry_run', 'DryRun', 'debug', 'x', '__proto__', 'clientToken2'])(
    'refuses the unknown query parameter %s with 400 naming it, at no cost',
    async (name) => {
      if (path === '/chatops/{platform}' || path === '/openapi.json') {
        const { answer } = await send({ method, path: concrete(path, planId), query: { [name]: 'true' }, body: bodyFor(method), sign: false });
        expect(answer.status).toBe(400);
        expect(answer.body.error.issues).toEqual([expect.objectContaining({ path: `query.${name}` })]);
        return;
      }
      const { answer, creates, cenCalls } = await send({ method, path: concrete(path, planId), query: { [name]: 'true' }, body: bodyFor(method) });
      expect(answer.status).toBe(400);
      expect(answer.body.error.issues).toEqual([
        expect.objectContaining({ path: `query.${name}`, message: expect.stringContaining('is not a query parameter') }),
      ]);
      expect([creates, cenCalls]).toEqual([0, 0]);
      expectDocumented(path, method, answer);
    },
  );

  it.each(
    queryParameters.flatMap((parameter) =>
      (parameter.schema.enum ?? []).flatMap((value) => misspellings(value).map((spelling) => [parameter.name, spelling] as const)),
    ),
  )('refuses %s=%j (not exactly a documented value) with 400 naming it, at no cost', async (name, spelling) => {
    const { answer, creates, cenCalls, messages } = await send({ method, path: concrete(path, planId), query: { [name]: spelling }, body: bodyFor(method) });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues).toEqual([expect.objectContaining({ path: `query.${name}`, message: expect.stringContaining('must be exactly') })]);
    expect([creates, cenCalls]).toEqual([0, 0]);
    // Not exactly a dry run, so it may have been meant as a purchase: the refusal is published.
    if (path === '/bandwidth-plans') expect(messages).toEqual([expect.objectContaining({ type: 'cen.bandwidthplan.rejected' })]);
    expectDocumented(path, method, answer);
  });

  it('refuses a header that changes the meaning in a way it does not understand', async () => {
    if (path === '/openapi.json') return;
    const sign = path.startsWith('/chatops') ? false : undefined;
    const calls: HttpCall[] = [
      { method, path: concrete(path, planId), body: bodyFor(method), headers: { 'Content-Encoding': 'gzip' }, ...(sign === false ? { sign } : {}) },
    ];
    for (const call of calls) {
      const { answer, creates } = await send(call);
      expect(answer.status).toBe(400);
      expect(answer.body.error.issues).toEqual([expect.objectContaining({ path: 'header.content-encoding' })]);
      expect(creates).toBe(0);
    }
  });
});

describe('POST /bandwidth-plans: the documented query values and headers', () => {
  it('dryRun=true previews (200, nothing called or published); dryRun=false buys like no query (201)', async () => {
    const preview = await send({ path: '/bandwidth-plans', query: { dryRun: 'true' }, body: { ...VALID_PLAN, Bandwidth: 21 } });
    expect([preview.answer.status, preview.creates, preview.cenCalls, preview.messages.length]).toEqual([200, 0, 0, 0]);
    expectDocumented('/bandwidth-plans', 'POST', preview.answer);

    const bought = await send({ path: '/bandwidth-plans', query: { dryRun: 'false' }, body: { ...VALID_PLAN, Bandwidth: 22 } });
    expect([bought.answer.status, bought.creates]).toEqual([201, 1]);
    expectDocumented('/bandwidth-plans', 'POST', bought.answer);
  });

  it.each([
    ['a space', 'order 1'],
    ['a comma (a repeated header arrives comma-joined)', 'order-1,order-2'],
    ['129 characters', 'k'.repeat(129)],
    ['a non-ASCII character', 'ordér-1'],
    ['nothing (an empty header is not "no key": it may be an unset template variable)', ''],
  ])('refuses an Idempotency-Key with %s (400, nothing bought, the refusal published)', async (_name, key) => {
    const { answer, creates, messages } = await send({ path: '/bandwidth-plans', body: VALID_PLAN, headers: { 'Idempotency-Key': key } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues).toEqual([
      { path: 'header.idempotency-key', message: 'must be 1 to 128 printable ASCII characters without spaces or commas' },
    ]);
    expect(creates).toBe(0);
    expect(messages).toEqual([expect.objectContaining({ type: 'cen.bandwidthplan.rejected' })]);
    expectDocumented('/bandwidth-plans', 'POST', answer);
  });

  // A header the API does not read is ignored, unless it looks meant: ignoring it would buy once per
  // retry (a misspelt key) or buy at all (a dry run asked by header).
  it.each([
    ['X-Idempotency-Key', 'order-42', 'header.x-idempotency-key', /use the Idempotency-Key header/],
    ['Idempotency_Key', 'order-42', 'header.idempotency_key', /use the Idempotency-Key header/],
    ['Idempotency-Token', 'order-42', 'header.idempotency-token', /use the Idempotency-Key header/],
    ['Idempotncy-Key', 'order-42', 'header.idempotncy-key', /use the Idempotency-Key header/],
    ['X-Idempotent-Key', 'order-42', 'header.x-idempotent-key', /use the Idempotency-Key header/],
    ['X-Idempotence-Key', 'order-42', 'header.x-idempotence-key', /use the Idempotency-Key header/],
    ['X-Webhook-Timestamps', '1', 'header.x-webhook-timestamps', /use the x-webhook-timestamp header/],
    ['X-Client-Token', 'order-42', 'header.x-client-token', /ClientToken/],
    ['X-Dry-Run', 'true', 'header.x-dry-run', /dryRun=true/],
    ['DryRun', 'true', 'header.dryrun', /dryRun=true/],
    ['Prefer', 'dry-run', 'header.prefer', /dryRun=true/],
    ['X-Validate-Only', 'true', 'header.x-validate-only', /dryRun=true/],
  ])('refuses the look-alike header %s: %s (400 naming it, nothing bought, the refusal published)', async (name, value, path, message) => {
    const { answer, creates, messages } = await send({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 23 }, headers: { [name]: value } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues).toEqual([{ path, message: expect.stringMatching(message) }]);
    expect(creates).toBe(0);
    expect(messages).toEqual([expect.objectContaining({ type: 'cen.bandwidthplan.rejected' })]);
  });

  it("ignores headers that do not look meant (a proxy's, a tracing id, Prefer for something else)", async () => {
    const headers = {
      'X-Request-Id': 'abc',
      Traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      Prefer: 'respond-async',
      'User-Agent': 'curl/8',
    };
    const { answer, creates } = await send({ path: '/bandwidth-plans', body: { ...VALID_PLAN, Bandwidth: 24 }, headers });
    expect([answer.status, creates]).toEqual([201, 1]);
  });

  it('refuses a header given twice in two casings', async () => {
    const event = httpEvent({ path: '/bandwidth-plans', body: VALID_PLAN, headers: { 'Idempotency-Key': 'order-a' } });
    (event.headers as Record<string, string>)['idempotency-key'] = 'order-b';
    const before = h.cen.plans.length;
    const response = (await h.invoke(event)) as { statusCode: number; body: string };
    // The signature covers one of the two: either way nothing is bought.
    expect([400, 401]).toContain(response.statusCode);
    expect(h.cen.plans.length).toBe(before);
  });

  it('refuses an Idempotency-Key on a status read', async () => {
    const { answer, cenCalls } = await send({ method: 'GET', path: `/bandwidth-plans/${planId}`, headers: { 'Idempotency-Key': 'order-1' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues).toEqual([expect.objectContaining({ path: 'header.idempotency-key' })]);
    expect(cenCalls).toBe(0);
  });

  it('answers a status read and an unknown plan as documented', async () => {
    expectDocumented('/bandwidth-plans/{id}', 'GET', (await send({ method: 'GET', path: `/bandwidth-plans/${planId}` })).answer);
    const unknown = await send({ method: 'GET', path: '/bandwidth-plans/cenbwp-doesnotexist' });
    expect(unknown.answer.status).toBe(404);
    expectDocumented('/bandwidth-plans/{id}', 'GET', unknown.answer);
  });
});

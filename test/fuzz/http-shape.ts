/**
 * The documented shape of every HTTP answer (README "HTTP API"): a JSON body; errors as
 * `{"error": {code, message, requestId?, issues?}}` (plus `ClientToken` and `notification` when a
 * purchase attempt failed); 201, dry-run and status answers with their documented fields.
 */
import assert from 'node:assert/strict';
import type { FcHttpResponse } from '../../shared/runtime/fc';

export type AnswerKind = 'created' | 'dry-run' | 'status' | 'chat';

export interface ParsedAnswer {
  readonly status: number;
  readonly body: any;
}

const ERROR_KEYS = new Set(['code', 'message', 'requestId', 'issues']);
const ERROR_BODY_KEYS = new Set(['error', 'ClientToken', 'notification']);
const CREATED_KEYS = new Set(['CenBandwidthPackageId', 'CenBandwidthPackageOrderId', 'RequestId', 'ClientToken', 'Status', 'notes', 'notification']);

/** Checks the documented shape; `ok` names the success shape this route answers with. Returns the parsed answer. */
export function checkHttpAnswer(response: FcHttpResponse, ok: AnswerKind): ParsedAnswer {
  assert.ok(Number.isInteger(response.statusCode) && response.statusCode >= 200 && response.statusCode <= 599, `status ${response.statusCode}`);
  assert.match(String(response.headers?.['content-type']), /^application\/json\b/, 'content-type');
  assert.equal(response.isBase64Encoded, false, 'isBase64Encoded');
  let body: any;
  assert.doesNotThrow(() => (body = JSON.parse(response.body)), 'the body is JSON');
  assert.ok(typeof body === 'object' && body !== null && !Array.isArray(body), 'the body is a JSON object');
  const status = response.statusCode;
  if (status >= 400) {
    assert.ok(
      [...Object.keys(body)].every((key) => ERROR_BODY_KEYS.has(key)),
      `error body keys ${Object.keys(body)}`,
    );
    const error = body.error;
    assert.ok(typeof error === 'object' && error !== null, 'error is an object');
    assert.ok(
      Object.keys(error).every((key) => ERROR_KEYS.has(key)),
      `error keys ${Object.keys(error)}`,
    );
    assert.ok(typeof error.code === 'string' && error.code.length > 0, 'error.code');
    assert.ok(typeof error.message === 'string' && error.message.length > 0, 'error.message');
    if (error.requestId !== undefined) assert.equal(typeof error.requestId, 'string', 'error.requestId');
    if (error.issues !== undefined) {
      assert.ok(Array.isArray(error.issues) && error.issues.length > 0, 'error.issues is a non-empty list');
      for (const issue of error.issues)
        assert.ok(typeof issue.path === 'string' && typeof issue.message === 'string' && issue.message.length > 0, 'issue {path, message}');
    }
    return { status, body };
  }
  switch (ok) {
    case 'created':
      assert.equal(status, 201);
      assert.ok(
        Object.keys(body).every((key) => CREATED_KEYS.has(key)),
        `201 keys ${Object.keys(body)}`,
      );
      assert.match(body.CenBandwidthPackageId, /^cenbwp-[a-z0-9]+$/);
      assert.equal(typeof body.ClientToken, 'string');
      assert.equal(typeof body.Status, 'string');
      break;
    case 'dry-run':
      assert.equal(status, 200);
      assert.deepEqual(Object.keys(body).sort(), ['billing', 'dryRun', 'guardrails', 'request']);
      assert.equal(body.dryRun, true);
      assert.equal(typeof body.guardrails.allowed, 'boolean');
      // README, "Charge types today": how the plan would be paid, and whether the order would wait for payment.
      assert.ok(typeof body.billing.summary === 'string' && body.billing.summary.length > 0, 'billing.summary');
      assert.equal(typeof body.billing.awaitsPayment, 'boolean', 'billing.awaitsPayment');
      break;
    case 'status':
      assert.equal(status, 200);
      assert.match(body.CenBandwidthPackageId, /^cenbwp-[a-z0-9]+$/);
      assert.equal(typeof body.Status, 'string');
      break;
    case 'chat':
      assert.equal(status, 200);
      break;
  }
  return { status, body };
}

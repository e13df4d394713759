/**
 * Production stack traces are readable: an unexpected error logged by the built bundle names the
 * TypeScript file and line it came from, through the source map beside the bundle (read only then).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readableStack } from '../../shared/runtime/stack';

const BUNDLE = resolve(__dirname, '../../dist/create-bandwidth-plan/index.js');

describe('stack traces from the bundle', () => {
  it('ships the source map beside the bundle, without a sourceMappingURL comment (nothing loads it at cold start)', async () => {
    expect(existsSync(`${BUNDLE}.map`)).toBe(true);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(BUNDLE, 'utf8')).not.toContain('sourceMappingURL');
  });

  it('maps the frames of an unexpected error to the TypeScript source when it is logged', async () => {
    // An HTTP event whose headers throw a TypeError when read: a bug-like failure inside the bundle.
    const script = `
      const { handler } = require(${JSON.stringify(BUNDLE)});
      const event = { version: 'v1', rawPath: '/bandwidth-plans', requestContext: { http: { method: 'POST', path: '/bandwidth-plans' } }, get headers() { throw new TypeError('broken headers'); } };
      handler(event, { requestId: 'r-1' }).then((answer) => process.stdout.write('ANSWER ' + JSON.stringify(answer) + '\\n'));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '' } });
    const failure = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .find((record) => record.message === 'request failed');

    expect(failure.error).toMatchObject({ code: 'InternalError', cause: { name: 'TypeError', message: 'broken headers' } });
    expect(failure.error.cause.stack).toMatch(/at \S+ \(shared\/sources\/http-api\/request\.ts:\d+:\d+\)/);
    expect(failure.error.cause.stack).not.toMatch(/index\.js:1:\d+/);
    expect(stdout).toContain('ANSWER {"statusCode":500');
  });

  it('leaves frames of files without a source map as they are', () => {
    const stack = 'Error: x\n    at f (/nowhere/file.js:10:20)\n    at node:internal/x:1:2';
    expect(readableStack(stack)).toBe(stack);
  });
});

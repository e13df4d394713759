/**
 * The rules `npm run lint` enforces on the tree, tried on code written to break them: if a rule stops
 * firing (a Biome upgrade, a plugin typo), this fails rather than the tree silently going unchecked.
 * The constant-time rule is ours (test/lint/constant-time.grit); the others are Biome's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const BIOME = resolve(ROOT, 'node_modules/.bin/biome');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lint-rules-'));
  // The project's own configuration, pointed at its plugin, for a folder outside the repository.
  const config = JSON.parse(readFileSync(resolve(ROOT, 'biome.json'), 'utf8'));
  config.$schema = undefined;
  config.vcs = { enabled: false };
  config.files = { includes: ['**'] };
  config.plugins = config.plugins.map((plugin: string) => resolve(ROOT, plugin));
  config.formatter = { enabled: false };
  config.assist = { enabled: false };
  writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The rules that fire on `code`: Biome rule names, or `constant-time` for the plugin. */
async function firing(code: string): Promise<string[]> {
  const file = join(dir, `case-${Math.abs(hash(code))}.ts`);
  writeFileSync(file, code);
  const { stdout } = await promisify(execFile)(BIOME, ['lint', '--reporter=json', file], { cwd: dir }).catch((error: { stdout: string }) => error);
  const report = JSON.parse(stdout) as { diagnostics: { category: string; message: string }[] };
  return report.diagnostics.map((diagnostic) => (diagnostic.category === 'plugin' ? 'constant-time' : diagnostic.category.split('/').at(-1)!));
}

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) | 0;
  return value;
}

describe('signatures, MACs, digests and verification tokens are compared in constant time only', () => {
  it.each([
    ['export const f = (signature: string, body: string) => signature === slackSignature(body);', ['constant-time']],
    ['export const f = (given: string, key: string) => given !== computeMac(key);', ['constant-time']],
    ['export const f = (sign: Buffer, expected: Buffer) => sign.equals(expected);', ['constant-time']],
    ['export const f = (a: Buffer, digest: Buffer) => Buffer.compare(a, digest) === 0;', ['constant-time']],
    ['export const f = (token: string, config: { verificationToken: string }) => token === config.verificationToken;', ['constant-time']],
    ['export const f = (signature?: string) => signature === undefined;', []],
    ["export const f = (verdict: { reason: string }) => verdict.reason !== 'bad-signature';", []],
    ["export const f = (event: { mac: unknown }) => typeof event.mac === 'string';", []],
    ['export const f = (signature: string, expected: string) => signature.length === expected.length;', []],
  ])('%s → %j', async (code, expected) => {
    expect(await firing(code)).toEqual(expected);
  });
});

describe('the rules that matter here fire', () => {
  it.each([
    ['a floating promise', 'async function work(): Promise<void> {}\nexport function f() {\n  work();\n}\n', 'noFloatingPromises'],
    ['==', 'export const f = (a: unknown) => a == 1;', 'noDoubleEquals'],
    ['!= null', 'export const f = (a: unknown) => a != null;', 'noDoubleEquals'],
  ])('%s', async (_name, code, rule) => {
    expect(await firing(code)).toContain(rule);
  });
});

/**
 * Builds the bundles once before the suite: tests that load `dist/` (the bundle check, the local run,
 * the invoke CLI) then test exactly what would be deployed, even right after `npm ci && npm test`.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['build.mjs'], { stdio: 'inherit' });
}

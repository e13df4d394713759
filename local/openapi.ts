/**
 * `npm run openapi`: writes docs/openapi.json from the route table and the schemas. The build ships
 * that file beside the bundle; a test fails while it differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApiDocument } from '../shared/sources/http-api/openapi';

export const OPENAPI_PATH = resolve(import.meta.dirname, '..', 'docs', 'openapi.json');

/** The document exactly as committed: two-space JSON and a final newline. */
export function renderOpenApi(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  writeFileSync(OPENAPI_PATH, renderOpenApi());
  console.log(`wrote ${OPENAPI_PATH}`);
}

/**
 * FC 3.0 entry point for `create-bandwidth-plan`. Wires the event sources to the pipeline.
 */
import type { FcContext, FcHttpResponse } from '../../shared/fc';

export async function handler(_event: unknown, _context: FcContext): Promise<FcHttpResponse> {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, isBase64Encoded: false, body: '{"status":"ok"}' };
}

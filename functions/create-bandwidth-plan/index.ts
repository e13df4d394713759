/**
 * FC 3.0 entry point (`index.handler`). The handler is created at module load: configuration is read
 * and validated once per instance, at cold start.
 */
import { createHandler } from './handler';

export const handler = createHandler();

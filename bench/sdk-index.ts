/**
 * The SDK handler as a user deploys it (`index.handler`), configured from the environment at module
 * load. child.ts compiles it to one file beside a node_modules it requires the SDKs from.
 */
import { createSdkHandler } from './sdk-handler';

export const handler = createSdkHandler(process.env);

/**
 * The official `@alicloud/mns` SDK (a devDependency), used only as an independent oracle in tests:
 * its request signer and its XML parser (xml2js). Loaded with require because it ships no types.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface SdkClientClass {
  prototype: { sign(this: { accessKeySecret: string }, verb: string, headers: Record<string, string>, resource: string): string };
}
const SdkClient = require('@alicloud/mns') as SdkClientClass;
const sdkHelper = require('@alicloud/mns/lib/helper.js') as { parseXML(input: string): Promise<Record<string, unknown>> };

/**
 * The SDK's `Client#sign`: headers by lower-case name (`date`, `content-type`, `content-md5`,
 * `x-mns-*`), resource as sent.
 */
export function sdkSignature(accessKeySecret: string, method: string, headers: Record<string, string>, resource: string): string {
  return SdkClient.prototype.sign.call({ accessKeySecret }, method, headers, resource);
}

/** xml2js as the SDK configures it: every element becomes an array of its occurrences. */
export function sdkParseXml(xml: string): Promise<Record<string, unknown>> {
  return sdkHelper.parseXML(xml);
}

/**
 * MNS request signing, written from docs/sources.md, "MNS" (HMAC-SHA1, Base64): the double's own
 * implementation, independent of the product's notifier and of `@alicloud/mns`.
 */
import { createHmac } from 'node:crypto';

export interface MnsSigningInput {
  readonly method: string;
  /** Header value, or empty/undefined when absent (the line is still there, empty). */
  readonly contentMd5?: string | undefined;
  readonly contentType?: string | undefined;
  /** The `Date` header, or `x-mns-date` when that stands in for it. */
  readonly date: string;
  /** All request headers; only `x-mns-*` ones are used. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Path plus query exactly as sent, e.g. `/topics/MyTopic/messages`. */
  readonly resource: string;
}

/** `x-mns-*` headers, names lowercased and sorted, each `name:value\n`. */
export function canonicalMnsHeaders(headers: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name, value]) => name.startsWith('x-mns-') && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
}

export function mnsStringToSign(input: MnsSigningInput): string {
  return [input.method, input.contentMd5 ?? '', input.contentType ?? '', input.date, ''].join('\n') + canonicalMnsHeaders(input.headers) + input.resource;
}

export function mnsSignature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
}

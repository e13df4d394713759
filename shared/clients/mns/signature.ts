/**
 * MNS request signature (docs/sources.md, "MNS"): HMAC-SHA1 over method, Content-MD5, Content-Type,
 * Date, the `x-mns-*` headers and the resource, Base64-encoded. Pure: the date is passed in, so the
 * same input always gives the same signature. Knows nothing of topics, events or HTTP.
 */
import { createHmac } from 'node:crypto';
import type { Credentials } from '../../runtime/credentials';

export interface MnsSignableRequest {
  readonly method: string;
  /** The resource exactly as sent: path plus query, e.g. `/topics/MyTopic/messages`. */
  readonly path: string;
  /** Byte-identical to the `Content-Type` header sent; `''` when there is none. */
  readonly contentType: string;
  /** The `Content-MD5` header sent, if any; an absent header signs an empty line. */
  readonly contentMd5?: string | undefined;
  /** The `Date` header sent, RFC 1123 (`Date.prototype.toUTCString()` form). */
  readonly date: string;
  /** Headers whose name starts with `x-mns-` (any case); other names are ignored. Values as sent. */
  readonly mnsHeaders: Readonly<Record<string, string>>;
}

export interface MnsSignature {
  readonly stringToSign: string;
  readonly signature: string;
  /** The `Authorization` header value: `MNS <AccessKeyId>:<signature>`. */
  readonly authorization: string;
}

const MNS_HEADER_PREFIX = 'x-mns-';

/** `name:value\n` for every `x-mns-*` header, names lower-cased and sorted; `''` when there are none. */
export function canonicalizedMnsHeaders(headers: Readonly<Record<string, string>>): string {
  const byName = new Map<string, string>();
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (!name.startsWith(MNS_HEADER_PREFIX)) continue;
    // Two spellings of one name would be sent as two headers, which MNS does not define a signature for.
    if (byName.has(name)) throw new RangeError(`header ${name} is given twice`);
    byName.set(name, value);
  }
  return [...byName.keys()]
    .sort()
    .map((name) => `${name}:${byName.get(name)}\n`)
    .join('');
}

export function mnsStringToSign(request: MnsSignableRequest): string {
  return [
    request.method.toUpperCase(),
    request.contentMd5 ?? '',
    request.contentType,
    request.date,
    `${canonicalizedMnsHeaders(request.mnsHeaders)}${request.path}`,
  ].join('\n');
}

/**
 * Signs `request`. With STS credentials the `STS.…` AccessKeyId goes into `Authorization`; the token
 * itself travels in the unsigned `security-token` header, so it does not change the signature.
 */
export function signMns(request: MnsSignableRequest, credentials: Credentials): MnsSignature {
  const stringToSign = mnsStringToSign(request);
  const signature = createHmac('sha1', credentials.accessKeySecret).update(stringToSign, 'utf8').digest('base64');
  return { stringToSign, signature, authorization: `MNS ${credentials.accessKeyId}:${signature}` };
}

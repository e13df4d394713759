/**
 * Decoding an OpenAPI query string. Values are percent-decoded as RFC 3986 says, so `+` is a literal
 * plus, not a space: the official SDK sends `%2B` for a plus and `%20` for a space (Node
 * `querystring`), and the ACS3 canonical form never uses `+` either. A client that form-encodes a
 * space as `+` therefore fails to verify here, which is the real gateway's behaviour too
 * (docs/sources.md, "Alibaba Cloud OpenAPI and CEN": "space not encoded as %20" is a listed cause of SignatureDoesNotMatch).
 */

export type QueryParseResult = { readonly ok: true; readonly query: Readonly<Record<string, string>> } | { readonly ok: false; readonly message: string };

export function parseQuery(rawQuery: string): QueryParseResult {
  const query: Record<string, string> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? '' : pair.slice(equals + 1);
    const name = decode(rawName);
    const value = decode(rawValue);
    if (name === undefined || value === undefined) {
      return { ok: false, message: `The query parameter "${pair}" is not valid percent-encoded UTF-8.` };
    }
    // A map cannot sign two values under one name; the gateway's behaviour here is unknown, so refuse.
    if (Object.hasOwn(query, name)) return { ok: false, message: `The query parameter "${name}" is repeated.` };
    query[name] = value;
  }
  return { ok: true, query };
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

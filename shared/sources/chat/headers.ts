/**
 * HTTP header lookup for chat-ops requests. FC passes headers as a plain object whose name casing
 * depends on the client and gateway, and the platforms document mixed casing
 * (`X-Slack-Signature`, `timestamp`), so names are matched case-insensitively.
 */

/** The value of header `name` (any casing), or `undefined` when absent or empty. */
export function headerValue(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined && value !== '') return value;
  }
  return undefined;
}

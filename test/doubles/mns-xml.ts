/**
 * The PublishMessage XML body, parsed strictly (docs/sources.md, "MNS"): the `Message` root in the MNS
 * namespace, a `MessageBody` and an optional `MessageTag`, element text holding only the five
 * predefined entities and numeric character references. A raw `<` or a bare `&` in text is
 * malformed XML, as it is for the real service.
 */

export const MNS_NAMESPACE = 'http://mns.aliyuncs.com/doc/v1/';

export type MessageXmlResult =
  | { readonly ok: true; readonly body: string; readonly tag: string | undefined; readonly bodyTextBytes: number }
  | { readonly ok: false; readonly code: 'MalformedXML' | 'InvalidArgument'; readonly message: string };

const DECLARATION = /^\uFEFF?<\?xml\s+version\s*=\s*["']1\.0["'](\s+encoding\s*=\s*["'][Uu][Tt][Ff]-8["'])?(\s+standalone\s*=\s*["'](yes|no)["'])?\s*\?>/;
// The doc sample omits the trailing slash, the SDKs include it and the Go SDK sends no namespace.
const ROOT_OPEN = /^\s*<Message(\s+xmlns\s*=\s*"http:\/\/mns\.aliyuncs\.com\/doc\/v1\/?")?\s*>/;
const CHILD = /^\s*<(MessageBody|MessageTag)>([^<]*)<\/\1>/;
const ROOT_CLOSE = /^\s*<\/Message>\s*$/;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));/g;
const PREDEFINED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as const;
/** Characters XML 1.0 forbids even when escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are exactly what it looks for
const ILLEGAL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function parseMessageXml(xml: string): MessageXmlResult {
  const declaration = DECLARATION.exec(xml);
  let rest = declaration ? xml.slice(declaration[0].length) : xml.replace(/^\uFEFF/, '');
  const root = ROOT_OPEN.exec(rest);
  if (!root) return malformed('the root element must be <Message xmlns="http://mns.aliyuncs.com/doc/v1/">');
  rest = rest.slice(root[0].length);

  const texts = new Map<string, string>();
  // At most two children are allowed, so at most three passes are needed to find the end or a fault.
  for (let pass = 0; pass < 3; pass++) {
    if (ROOT_CLOSE.test(rest)) return finish(texts);
    const child = CHILD.exec(rest);
    if (!child) return malformed('expected <MessageBody>…</MessageBody>, <MessageTag>…</MessageTag> or </Message>, with escaped text');
    const [whole, name = '', raw = ''] = child;
    if (texts.has(name)) return malformed(`<${name}> appears twice`);
    if (raw.includes(']]>')) return malformed(`<${name}> holds "]]>", which must be escaped`);
    const text = unescapeText(raw);
    if (text === undefined) return malformed(`<${name}> holds a bare "&" or an unknown entity`);
    if (ILLEGAL_CHARACTER.test(text)) return malformed(`<${name}> holds a character XML 1.0 does not allow`);
    texts.set(name, raw);
    rest = rest.slice(whole.length);
  }
  return malformed('unexpected content after the message elements');
}

function finish(rawTexts: ReadonlyMap<string, string>): MessageXmlResult {
  const rawBody = rawTexts.get('MessageBody');
  if (rawBody === undefined || rawBody === '') return { ok: false, code: 'InvalidArgument', message: 'MessageBody is required and must not be empty.' };
  const rawTag = rawTexts.get('MessageTag');
  return {
    ok: true,
    body: unescapeText(rawBody) ?? '',
    tag: rawTag === undefined ? undefined : unescapeText(rawTag),
    bodyTextBytes: Buffer.byteLength(rawBody, 'utf8'),
  };
}

/**
 * Replaces entities; undefined when the text has a bare `&` or a reference to a non-character.
 * Raw line ends are normalised to `\n` first, as every XML parser does; only `&#13;` keeps a CR.
 */
export function unescapeText(raw: string): string | undefined {
  if (raw.replace(ENTITY, '').includes('&')) return undefined;
  let valid = true;
  const text = raw
    .replace(/\r\n?/g, '\n')
    .replace(ENTITY, (_match, name: keyof typeof PREDEFINED | undefined, decimal: string | undefined, hex: string | undefined) => {
      if (name) return PREDEFINED[name];
      const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
      if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
        valid = false;
        return '';
      }
      return String.fromCodePoint(codePoint);
    });
  return valid ? text : undefined;
}

/** Escapes element text: `&` first, then `<` and `>`. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function malformed(detail: string): MessageXmlResult {
  return { ok: false, code: 'MalformedXML', message: `The XML you provided was not well-formed: ${detail}.` };
}

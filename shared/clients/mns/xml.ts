/**
 * The little XML MNS speaks (docs/sources.md, "MNS"): the PublishMessage envelope we send and the
 * flat documents it answers with. Pure string work; no XML library, because the documents are one
 * root element with a handful of text children.
 */

export const MNS_XML_NAMESPACE = 'http://mns.aliyuncs.com/doc/v1/';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Escapes element text. `&` goes first, or the `&` of `&lt;` would be escaped again. Quotes need no
 * escaping in element text.
 */
export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Resolves the five named entities and numeric character references in one pass (so `&amp;lt;` stays `&lt;`). */
export function unescapeXmlText(text: string): string {
  return text.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));/g, (reference, hex?: string, decimal?: string, name?: string) => {
    if (name !== undefined) return NAMED_ENTITIES[name] ?? reference;
    const codePoint = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : reference;
  });
}

/**
 * The PublishMessage request body: `MessageBody` and, when given, `MessageTag`, both escaped.
 * An empty tag is left out rather than sent as a filter tag nobody can match.
 */
export function buildPublishMessageXml(body: string, tag?: string): string {
  const tagElement = tag ? `<MessageTag>${escapeXmlText(tag)}</MessageTag>` : '';
  return `${XML_DECLARATION}<Message xmlns="${MNS_XML_NAMESPACE}"><MessageBody>${escapeXmlText(body)}</MessageBody>${tagElement}</Message>`;
}

/** A flat MNS document: the root's local name and the text of its child elements, unescaped. */
export interface MnsDocument {
  /** Local name of the root element, without any namespace prefix: `Message`, `Error`. */
  readonly root: string;
  /** Text of each child element that holds only text, by local name; the first occurrence wins. */
  readonly fields: Readonly<Record<string, string>>;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ROOT = new RegExp(`^<(${NAME})(?:\\s[^>]*)?(?:/>|>([\\s\\S]*)</\\1\\s*>)$`);
const CHILD = new RegExp(`<(${NAME})(?:\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</\\1\\s*>)`, 'g');
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;

/**
 * Reads an MNS answer such as `<Message><MessageId>…</MessageId></Message>` or
 * `<Error><Code>…</Code>…</Error>`. Tolerates a BOM, the XML declaration, comments, any or no
 * namespace (prefixed or not) and whitespace between elements; text is kept exactly, entities and
 * CDATA resolved. Anything that is not such a document (an HTML error page, a cut-off body) gives
 * `undefined`.
 */
export function parseMnsXml(text: string): MnsDocument | undefined {
  const content = text
    .replace(/^\uFEFF/, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
  const root = ROOT.exec(content);
  if (!root) return undefined;
  const fields: Record<string, string> = {};
  for (const child of (root[2] ?? '').matchAll(CHILD)) {
    const name = localName(child[1]!);
    const inner = child[2] ?? '';
    // Nested elements are not MNS fields we read; a CDATA section is text.
    if (inner.replace(CDATA, '').includes('<') || name in fields) continue;
    fields[name] = textOf(inner);
  }
  return { root: localName(root[1]!), fields };
}

function localName(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf(':') + 1);
}

/** Element text: entities resolved outside CDATA sections, CDATA content taken as is. */
function textOf(inner: string): string {
  let result = '';
  let last = 0;
  for (const section of inner.matchAll(CDATA)) {
    result += unescapeXmlText(inner.slice(last, section.index)) + section[1];
    last = section.index + section[0].length;
  }
  return result + unescapeXmlText(inner.slice(last));
}

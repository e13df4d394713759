import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, parseMessageXml } from './mns-xml';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const wrap = (inner: string, ns = ' xmlns="http://mns.aliyuncs.com/doc/v1/"') => `${DECL}<Message${ns}>${inner}</Message>`;

describe('parseMessageXml', () => {
  it.each([
    ['the five predefined entities', '<MessageBody>A &amp; B &lt;edge&gt; &quot;q&quot; &apos;a&apos;</MessageBody>', `A & B <edge> "q" 'a'`],
    ['decimal and hex character references', '<MessageBody>&#72;&#x69; &#x1F600;</MessageBody>', 'Hi 😀'],
    ['raw line ends, normalised as XML parsers do', '<MessageBody>a\r\nb\rc&#13;</MessageBody>', 'a\nb\nc\r'],
    ['raw > and quotes', `<MessageBody>a > b "c" 'd'</MessageBody>`, `a > b "c" 'd'`],
    ['escaped JSON', '<MessageBody>{"d":"A &amp; B &lt;edge&gt;","n":"line\\nbreak"}</MessageBody>', '{"d":"A & B <edge>","n":"line\\nbreak"}'],
  ])('unescapes %s', (_name, inner, body) => {
    expect(parseMessageXml(wrap(inner))).toMatchObject({ ok: true, body, tag: undefined });
  });

  it('reads an optional MessageTag, before or after the body', () => {
    expect(parseMessageXml(wrap('<MessageBody>x</MessageBody><MessageTag>created</MessageTag>'))).toMatchObject({ ok: true, body: 'x', tag: 'created' });
    expect(parseMessageXml(wrap('<MessageTag>t&amp;1</MessageTag>\n  <MessageBody>x</MessageBody>\n'))).toMatchObject({ ok: true, tag: 't&1' });
  });

  it.each([
    ['the trailing-slash namespace', ' xmlns="http://mns.aliyuncs.com/doc/v1/"'],
    ['the namespace without trailing slash', ' xmlns="http://mns.aliyuncs.com/doc/v1"'],
    ['no namespace (Go SDK)', ''],
  ])('accepts %s', (_name, ns) => {
    expect(parseMessageXml(wrap('<MessageBody>x</MessageBody>', ns)).ok).toBe(true);
  });

  it('accepts a body without the XML declaration', () => {
    expect(parseMessageXml('<Message xmlns="http://mns.aliyuncs.com/doc/v1/"><MessageBody>x</MessageBody></Message>').ok).toBe(true);
  });

  it.each([
    ['a raw <', wrap('<MessageBody>a < b</MessageBody>'), 'MalformedXML'],
    ['a bare &', wrap('<MessageBody>A & B</MessageBody>'), 'MalformedXML'],
    ['an unknown entity', wrap('<MessageBody>a&nbsp;b</MessageBody>'), 'MalformedXML'],
    ['an entity without ;', wrap('<MessageBody>a &amp b</MessageBody>'), 'MalformedXML'],
    ['a reference to a surrogate', wrap('<MessageBody>&#xD800;</MessageBody>'), 'MalformedXML'],
    ['a reference to NUL', wrap('<MessageBody>&#0;</MessageBody>'), 'MalformedXML'],
    ['a raw control character', wrap('<MessageBody>a\u0001b</MessageBody>'), 'MalformedXML'],
    [']]> in text', wrap('<MessageBody>a]]>b</MessageBody>'), 'MalformedXML'],
    ['another root element', `${DECL}<Msg><MessageBody>x</MessageBody></Msg>`, 'MalformedXML'],
    ['a foreign namespace', wrap('<MessageBody>x</MessageBody>', ' xmlns="urn:other"'), 'MalformedXML'],
    ['an unclosed root', `${DECL}<Message><MessageBody>x</MessageBody>`, 'MalformedXML'],
    ['mismatched tags', wrap('<MessageBody>x</MessageTag>'), 'MalformedXML'],
    ['a repeated MessageBody', wrap('<MessageBody>x</MessageBody><MessageBody>y</MessageBody>'), 'MalformedXML'],
    ['content after the root', `${wrap('<MessageBody>x</MessageBody>')}<More/>`, 'MalformedXML'],
    ['an unknown child', wrap('<MessageBody>x</MessageBody><Priority>1</Priority>'), 'MalformedXML'],
    ['no MessageBody', wrap('<MessageTag>t</MessageTag>'), 'InvalidArgument'],
    ['an empty MessageBody', wrap('<MessageBody></MessageBody>'), 'InvalidArgument'],
  ])('refuses %s', (_name, xml, code) => {
    expect(parseMessageXml(xml)).toMatchObject({ ok: false, code });
  });

  it('round-trips any text XML can carry, once escaped (raw CR aside: XML turns it into LF)', () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML cannot carry, on purpose
    const xmlChar = fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !/[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]/.test(s));
    fc.assert(
      fc.property(xmlChar, (text) => {
        const parsed = parseMessageXml(wrap(`<MessageBody>${escapeText(text)}</MessageBody>`));
        return parsed.ok && parsed.body === text;
      }),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPublishMessageXml, escapeXmlText, parseMnsXml, unescapeXmlText } from '../../shared/clients/mns/xml';
import { sdkParseXml } from '../oracles/mns-sdk-oracle';

const ENVELOPE_START = '<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mns.aliyuncs.com/doc/v1/">';

describe('escapeXmlText', () => {
  it.each([
    { text: 'plain', expected: 'plain' },
    { text: 'A & B <edge>', expected: 'A &amp; B &lt;edge&gt;' },
    // `&` first: an already escaped entity is escaped again, never left looking like markup.
    { text: '&lt;', expected: '&amp;lt;' },
    { text: '</MessageBody>', expected: '&lt;/MessageBody&gt;' },
    { text: `"quotes" and 'apostrophes'`, expected: `"quotes" and 'apostrophes'` },
    { text: '带宽包 🚀', expected: '带宽包 🚀' },
  ])('escapes $text', ({ text, expected }) => {
    expect(escapeXmlText(text)).toBe(expected);
  });
});

describe('unescapeXmlText', () => {
  it.each([
    { text: 'A &amp; B &lt;edge&gt;', expected: 'A & B <edge>' },
    { text: '&amp;lt;', expected: '&lt;' },
    { text: '&quot;&apos;', expected: `"'` },
    { text: '&#60;&#x3E;&#x1F680;', expected: '<>🚀' },
    { text: '&unknown; & alone', expected: '&unknown; & alone' },
    { text: '&#x110000;', expected: '&#x110000;' },
  ])('unescapes $text', ({ text, expected }) => {
    expect(unescapeXmlText(text)).toBe(expected);
  });
});

describe('buildPublishMessageXml', () => {
  it.each([
    {
      name: 'the computed vector body (docs/sources.md, "MNS")',
      body: 'hello topic',
      tag: undefined,
      expected: `${ENVELOPE_START}<MessageBody>hello topic</MessageBody></Message>`,
    },
    {
      name: 'a body and tag, escaped',
      body: '{"Description":"A & B <edge>"}',
      tag: 'created',
      expected: `${ENVELOPE_START}<MessageBody>{"Description":"A &amp; B &lt;edge&gt;"}</MessageBody><MessageTag>created</MessageTag></Message>`,
    },
    { name: 'an empty tag left out', body: 'x', tag: '', expected: `${ENVELOPE_START}<MessageBody>x</MessageBody></Message>` },
  ])('builds $name', ({ body, tag, expected }) => {
    expect(buildPublishMessageXml(body, tag)).toBe(expected);
  });

  it('builds XML the official SDK parser reads back to the same body and tag', async () => {
    const body = JSON.stringify({ Name: 'a<b>&c"d\'e', Description: '带宽 🚀 </MessageBody> &amp;' });

    const parsed = (await sdkParseXml(buildPublishMessageXml(body, 'failed'))) as { Message: { MessageBody: string[]; MessageTag: string[] } };

    expect(parsed.Message.MessageBody).toEqual([body]);
    expect(parsed.Message.MessageTag).toEqual(['failed']);
  });

  it('round-trips any JSON body through the official SDK parser', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const body = JSON.stringify(value);
        const parsed = (await sdkParseXml(buildPublishMessageXml(body))) as { Message: { MessageBody: string[] } };
        expect(parsed.Message.MessageBody).toEqual([body]);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any text through parseMnsXml', () => {
    const special = fc.constantFrom('<', '>', '&', '"', "'", '&amp;', ']]>', '带', '🚀', '\n', ' ');
    const text = fc.array(fc.oneof(special, fc.string({ unit: 'grapheme' })), { maxLength: 20 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }), (body, tag) => {
        expect(parseMnsXml(buildPublishMessageXml(body, tag))).toEqual({ root: 'Message', fields: { MessageBody: body, MessageTag: tag } });
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseMnsXml', () => {
  it.each([
    {
      name: 'the official 201 answer',
      text: `<?xml version="1.0" encoding="utf-8"?>
<Message xmlns="http://mns.aliyuncs.com/doc/v1/">
  <MessageId>D273CD6A89564E54-1-15180395A19-20000****</MessageId>
  <MessageBodyMD5>3AC6DD36D2D6B7283F2F490A0975****</MessageBodyMD5>
</Message>`,
      expected: {
        root: 'Message',
        fields: { MessageId: 'D273CD6A89564E54-1-15180395A19-20000****', MessageBodyMD5: '3AC6DD36D2D6B7283F2F490A0975****' },
      },
    },
    {
      name: 'the official error answer',
      text: `<?xml version="1.0" encoding="UTF-8"?>
<Error xmlns="http://mns.aliyuncs.com/doc/v1/">
  <Code>TopicNotExist</Code>
  <Message>The topic you provided does not exist.</Message>
  <RequestId>04bb60e3-28aa-4706-99b0-9345d834****</RequestId>
  <HostId>mns.cn-hangzhou.aliyuncs.com</HostId>
</Error>`,
      expected: {
        root: 'Error',
        fields: {
          Code: 'TopicNotExist',
          Message: 'The topic you provided does not exist.',
          RequestId: '04bb60e3-28aa-4706-99b0-9345d834****',
          HostId: 'mns.cn-hangzhou.aliyuncs.com',
        },
      },
    },
    {
      name: 'no namespace, no declaration (Go SDK style)',
      text: '<Message><MessageId>m-1</MessageId></Message>',
      expected: { root: 'Message', fields: { MessageId: 'm-1' } },
    },
    {
      name: 'the namespace without trailing slash',
      text: '<Message xmlns="http://mns.aliyuncs.com/doc/v1"><MessageId>m-1</MessageId></Message>',
      expected: { root: 'Message', fields: { MessageId: 'm-1' } },
    },
    {
      name: 'a prefixed namespace, CRLF, a BOM, a comment and spaces inside tags',
      text: '\uFEFF<?xml version="1.0"?>\r\n<!-- hi --><mns:Error xmlns:mns="http://mns.aliyuncs.com/doc/v1/" >\r\n\t<mns:Code >QpsLimitExceeded</mns:Code >\r\n</mns:Error >\r\n',
      expected: { root: 'Error', fields: { Code: 'QpsLimitExceeded' } },
    },
    {
      name: 'entities, CDATA, an empty and a nested element',
      text: '<Error><Message>a &amp; b &lt;c&gt; <![CDATA[<raw & kept>]]></Message><Code/><Detail><X>1</X></Detail></Error>',
      expected: { root: 'Error', fields: { Message: 'a & b <c> <raw & kept>', Code: '' } },
    },
    {
      name: 'a repeated element (first wins)',
      text: '<Error><Code>A</Code><Code>B</Code></Error>',
      expected: { root: 'Error', fields: { Code: 'A' } },
    },
    {
      name: 'a proxy error page',
      text: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
      expected: { root: 'html', fields: { body: 'nginx' } },
    },
  ])('reads $name', ({ text, expected }) => {
    expect(parseMnsXml(text)).toEqual(expected);
  });

  it.each([
    { name: 'an empty body', text: '' },
    { name: 'JSON', text: '{"Code":"InternalError"}' },
    { name: 'a cut-off document', text: '<Message><MessageId>m-1</MessageId>' },
    { name: 'mismatched root tags', text: '<Message></Error>' },
    { name: 'text after the root', text: '<Message></Message>trailing' },
  ])('gives undefined for $name', ({ text }) => {
    expect(parseMnsXml(text)).toBeUndefined();
  });
});

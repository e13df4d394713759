import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizedMnsHeaders, type MnsSignableRequest, mnsStringToSign, signMns } from '../../shared/clients/mns/signature';
import { sdkSignature } from '../oracles/mns-sdk-oracle';

const TEST_CREDENTIALS = { accessKeyId: 'TestAccessID', accessKeySecret: 'TestAccessSecret' };
const PUBLISH: MnsSignableRequest = {
  method: 'POST',
  path: '/topics/MyTopic/messages',
  contentType: 'text/xml;charset=utf-8',
  date: 'Tue, 08 Dec 2015 06:13:40 GMT',
  mnsHeaders: { 'x-mns-version': '2015-06-06' },
};

describe('signMns', () => {
  it.each([
    {
      name: 'the official GetQueue example (docs/sources.md, "MNS")',
      request: {
        method: 'GET',
        path: '/MyQueue',
        contentType: '',
        date: 'Thu, 09 Jul 2015 03:01:34 GMT',
        mnsHeaders: { 'x-mns-version': '2015-06-06' },
      },
      stringToSign: 'GET\n\n\nThu, 09 Jul 2015 03:01:34 GMT\nx-mns-version:2015-06-06\n/MyQueue',
      signature: 'uwx3yeWoILzgmvesW0BQSgfM7b8=',
    },
    {
      name: 'PublishMessage without Content-MD5 (computed vector)',
      request: PUBLISH,
      stringToSign: 'POST\n\ntext/xml;charset=utf-8\nTue, 08 Dec 2015 06:13:40 GMT\nx-mns-version:2015-06-06\n/topics/MyTopic/messages',
      signature: '6YcNwrhbkIPKdB3fRGtiqN8cehg=',
    },
    {
      name: 'PublishMessage with SDK-style Content-MD5 (computed vector)',
      request: { ...PUBLISH, contentMd5: 'OThmNjA3MGQzNzNlMTJhYTI2YjY1NTRmZTBmMWM1ZWU=' },
      stringToSign:
        'POST\nOThmNjA3MGQzNzNlMTJhYTI2YjY1NTRmZTBmMWM1ZWU=\ntext/xml;charset=utf-8\nTue, 08 Dec 2015 06:13:40 GMT\nx-mns-version:2015-06-06\n/topics/MyTopic/messages',
      signature: 'BEgJaEUT9zgtsG9+/BmHjUFJ+kE=',
    },
  ])('matches $name byte for byte', ({ request, stringToSign, signature }) => {
    // Act
    const signed = signMns(request, TEST_CREDENTIALS);

    // Assess
    expect(signed).toEqual({ stringToSign, signature, authorization: `MNS TestAccessID:${signature}` });
  });

  it('puts the STS AccessKeyId into Authorization and leaves the token out of the signature', () => {
    const withToken = signMns(PUBLISH, { ...TEST_CREDENTIALS, accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2Exa', securityToken: 'CAIS+token' });

    expect(withToken.authorization).toBe('MNS STS.NUgYrLnoC37mZZCNnAbez2Exa:6YcNwrhbkIPKdB3fRGtiqN8cehg=');
  });

  it('agrees with the official SDK on the vectors (the oracle itself is sound)', () => {
    expect(sdkSignature('TestAccessSecret', 'GET', { date: 'Thu, 09 Jul 2015 03:01:34 GMT', 'x-mns-version': '2015-06-06' }, '/MyQueue')).toBe(
      'uwx3yeWoILzgmvesW0BQSgfM7b8=',
    );
  });

  it('equals the official SDK signature for any request', () => {
    const mnsHeaderName = fc.stringMatching(/^x-mns-[a-z0-9-]{1,12}$/);
    const headerValue = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.record({
          method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
          path: fc.stringMatching(/^\/[A-Za-z0-9/?=&._-]{0,60}$/),
          contentType: fc.constantFrom('', 'text/xml', 'text/xml;charset=utf-8', 'application/xml'),
          contentMd5: fc.option(fc.base64String({ minLength: 4, maxLength: 44 }), { nil: undefined }),
          date: fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }).map((date) => date.toUTCString()),
          mnsHeaders: fc.dictionary(mnsHeaderName, headerValue, { maxKeys: 5 }),
        }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        (request, accessKeySecret) => {
          const headers: Record<string, string> = { date: request.date, 'content-type': request.contentType, ...request.mnsHeaders };
          if (request.contentMd5 !== undefined) headers['content-md5'] = request.contentMd5;

          const ours = signMns(request, { accessKeyId: 'id', accessKeySecret });

          expect(ours.signature).toBe(sdkSignature(accessKeySecret, request.method, headers, request.path));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('canonicalizedMnsHeaders', () => {
  it.each<{ name: string; headers: Record<string, string>; expected: string }>([
    { name: 'no x-mns-* headers', headers: { date: 'x', 'content-type': 'text/xml' }, expected: '' },
    {
      name: 'names lower-cased and sorted, other headers left out',
      headers: { 'X-MNS-Version': '2015-06-06', 'x-mns-date': 'D', host: 'h', 'security-token': 't' },
      expected: 'x-mns-date:D\nx-mns-version:2015-06-06\n',
    },
    { name: 'values kept exactly', headers: { 'x-mns-a': ' spaced :value ' }, expected: 'x-mns-a: spaced :value \n' },
  ])('$name', ({ headers, expected }) => {
    expect(canonicalizedMnsHeaders(headers)).toBe(expected);
  });

  it('refuses one header given in two spellings', () => {
    expect(() => canonicalizedMnsHeaders({ 'x-mns-version': 'a', 'X-Mns-Version': 'b' })).toThrow(RangeError);
  });
});

describe('mnsStringToSign', () => {
  it('upper-cases the method', () => {
    expect(mnsStringToSign({ ...PUBLISH, method: 'post' }).split('\n')[0]).toBe('POST');
  });
});

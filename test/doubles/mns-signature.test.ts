import { describe, expect, it } from 'vitest';
import { mnsSdkClient } from '../oracles/mns-sdk';
import { canonicalMnsHeaders, mnsSignature, mnsStringToSign } from './mns-signature';

// docs/sources.md, "MNS": the official example, and the computed PublishMessage vectors.
const OFFICIAL = {
  input: { method: 'GET', date: 'Thu, 09 Jul 2015 03:01:34 GMT', headers: { 'x-mns-version': '2015-06-06' }, resource: '/MyQueue' },
  stringToSign: 'GET\n\n\nThu, 09 Jul 2015 03:01:34 GMT\nx-mns-version:2015-06-06\n/MyQueue',
  signature: 'uwx3yeWoILzgmvesW0BQSgfM7b8=',
};
const PUBLISH = {
  method: 'POST',
  contentType: 'text/xml;charset=utf-8',
  date: 'Tue, 08 Dec 2015 06:13:40 GMT',
  headers: { 'x-mns-version': '2015-06-06' },
  resource: '/topics/MyTopic/messages',
};
const SECRET = 'TestAccessSecret';

describe('MNS signature (the double’s own implementation)', () => {
  it('reproduces the official example', () => {
    const stringToSign = mnsStringToSign(OFFICIAL.input);
    expect(stringToSign).toBe(OFFICIAL.stringToSign);
    expect(mnsSignature(stringToSign, SECRET)).toBe(OFFICIAL.signature);
  });

  it.each([
    [
      'no Content-MD5',
      undefined,
      'POST\n\ntext/xml;charset=utf-8\nTue, 08 Dec 2015 06:13:40 GMT\nx-mns-version:2015-06-06\n/topics/MyTopic/messages',
      '6YcNwrhbkIPKdB3fRGtiqN8cehg=',
    ],
    [
      'SDK-style Content-MD5',
      'OThmNjA3MGQzNzNlMTJhYTI2YjY1NTRmZTBmMWM1ZWU=',
      'POST\nOThmNjA3MGQzNzNlMTJhYTI2YjY1NTRmZTBmMWM1ZWU=\ntext/xml;charset=utf-8\nTue, 08 Dec 2015 06:13:40 GMT\nx-mns-version:2015-06-06\n/topics/MyTopic/messages',
      'BEgJaEUT9zgtsG9+/BmHjUFJ+kE=',
    ],
  ])('reproduces the computed PublishMessage vector with %s', (_name, contentMd5, stringToSign, signature) => {
    const actual = mnsStringToSign({ ...PUBLISH, contentMd5 });
    expect(actual).toBe(stringToSign);
    expect(mnsSignature(actual, SECRET)).toBe(signature);
  });

  it('agrees with @alicloud/mns sign() on the same inputs', () => {
    const sdk = mnsSdkClient('http://127.0.0.1:1', { accessKeyId: 'TestAccessID', accessKeySecret: SECRET });
    const headers = { date: PUBLISH.date, 'content-type': PUBLISH.contentType, 'x-mns-version': '2015-06-06', 'x-mns-date': PUBLISH.date, 'x-mns-a': 'z' };
    const ours = mnsSignature(mnsStringToSign({ ...PUBLISH, headers }), SECRET);
    expect(ours).toBe(sdk.sign('POST', headers, PUBLISH.resource));
  });

  it('canonicalises x-mns-* headers: lowercase names, sorted, other headers ignored', () => {
    expect(canonicalMnsHeaders({ 'X-MNS-Version': '2015-06-06', 'x-mns-date': 'd', host: 'h', 'security-token': 't' })).toBe(
      'x-mns-date:d\nx-mns-version:2015-06-06\n',
    );
  });
});

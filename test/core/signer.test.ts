/**
 * ACS3-HMAC-SHA256 signer: Alibaba's official vector, the SDK-computed regression vectors, the
 * canonicalisation helpers, and a property test against the official `@alicloud/openapi-util`.
 * Reference: docs/sources.md, "Alibaba Cloud OpenAPI and CEN"
 */
import { createHash } from 'node:crypto';
import OpenApiUtil from '@alicloud/openapi-util';
import { Request as TeaRequest } from '@alicloud/tea-typescript';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalHeaders,
  canonicalQueryString,
  EMPTY_BODY_SHA256,
  formatAcsDate,
  percentEncode,
  type SignableRequest,
  signAcs3,
  signAcs3Detailed,
} from '../../shared/clients/signer/acs3';
import { type BandwidthPlanRequest, toQueryParameters, validateBandwidthPlan } from '../../shared/core/schema';
import type { Credentials } from '../../shared/runtime/credentials';

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe('official vector (docs/sources.md, "Alibaba Cloud OpenAPI and CEN", ECS RunInstances)', () => {
  // Prepare
  const request: SignableRequest = {
    method: 'POST',
    host: 'ecs.cn-shanghai.aliyuncs.com',
    path: '/',
    query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
    headers: { 'x-acs-action': 'RunInstances', 'x-acs-version': '2014-05-26' },
  };
  const credentials: Credentials = { accessKeyId: 'YourAccessKeyId', accessKeySecret: 'YourAccessKeySecret' };
  const input = { date: new Date('2023-10-26T10:22:32Z'), nonce: '3156853299f313e23d1673dc12e1703d' };

  // Act
  const signed = signAcs3Detailed(request, credentials, input);

  it('builds the canonical request byte for byte', () => {
    expect(signed.canonicalRequest).toBe(
      [
        'POST',
        '/',
        'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
        'host:ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action:RunInstances',
        'x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-acs-date:2023-10-26T10:22:32Z',
        'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
        'x-acs-version:2014-05-26',
        '',
        'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
  });

  it('hashes the canonical request into the string to sign', () => {
    expect(signed.stringToSign).toBe('ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
  });

  it('produces the official signature', () => {
    expect(signed.signature).toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0');
  });

  it('sends every signing header and the official Authorization header', () => {
    expect(signed.headers).toStrictEqual({
      host: 'ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action': 'RunInstances',
      'x-acs-version': '2014-05-26',
      'x-acs-date': '2023-10-26T10:22:32Z',
      'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
      'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      authorization:
        'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,' +
        'SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,' +
        'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    });
  });

  it('signAcs3 returns the same headers as signAcs3Detailed', () => {
    expect(signAcs3(request, credentials, input)).toStrictEqual(signed.headers);
  });
});

describe('SDK-computed regression vectors', () => {
  const stsCredentials: Credentials = {
    accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2Exa',
    accessKeySecret: 'testSecretKey+/=',
    securityToken: 'CAIS+testToken/With+Special=Chars',
  };
  const input = { date: new Date('2025-01-02T03:04:05Z'), nonce: '0123456789abcdef0123456789abcdef' };
  const cbnHeaders = { 'x-acs-action': 'CreateCenBandwidthPackage', 'x-acs-version': '2017-09-12' };

  /** The vectors' Names contain a space, which our schema rejects: validate the rest, add the Name by hand. */
  function queryFor(input: Record<string, unknown>, name: string): Record<string, string> {
    const validation = validateBandwidthPlan(input);
    if (!validation.ok) throw new Error(`vector input should be valid: ${JSON.stringify(validation.issues)}`);
    return { ...toQueryParameters(validation.request), Name: name };
  }

  const inputB = {
    AutoPay: true,
    Bandwidth: 2,
    BandwidthPackageChargeType: 'PREPAY',
    ClientToken: '6c7e9a2c-1b1b-4c1e-9f3a-2f8d7e0c1a11',
    Description: 'Plan A/B: 50% * ~ (v1)! 带宽',
    GeographicRegionAId: 'China',
    GeographicRegionBId: 'Asia-Pacific',
    Period: 1,
    PricingCycle: 'Month',
    Tag: [{ Key: 'env', Value: 'prod' }],
  };
  const inputC = {
    AutoPay: true,
    Bandwidth: 2,
    BandwidthPackageChargeType: 'PREPAY',
    ClientToken: 'token-123',
    Description: 'a*b~c',
    GeographicRegionAId: 'China',
    GeographicRegionBId: 'China',
    Period: 1,
    PricingCycle: 'Month',
  };

  it.each([
    ['B', inputB, 'bwp test'],
    ['C', inputC, 'my plan'],
  ])("vector %s's Name is rejected by the schema, so it is added to the query by hand", (_vector, input, name) => {
    expect(validateBandwidthPlan({ ...input, Name: name })).toStrictEqual({
      ok: false,
      issues: [{ path: 'Name', message: 'must start with a letter and contain only letters, digits, _ and -' }],
    });
  });

  describe('B: full SDK header set', () => {
    // Prepare
    const request: SignableRequest = {
      method: 'POST',
      host: 'cbn.aliyuncs.com',
      path: '/',
      query: queryFor(inputB, 'bwp test'),
      headers: { ...cbnHeaders, 'x-acs-accesskey-id': 'STS.NUgYrLnoC37mZZCNnAbez2Exa', 'x-acs-credentials-provider': 'static_sts' },
    };

    // Act
    const signed = signAcs3Detailed(request, stsCredentials, input);

    it('builds the canonical request byte for byte', () => {
      expect(signed.canonicalRequest).toBe(
        [
          'POST',
          '/',
          'AutoPay=true&Bandwidth=2&BandwidthPackageChargeType=PREPAY&ClientToken=6c7e9a2c-1b1b-4c1e-9f3a-2f8d7e0c1a11' +
            '&Description=Plan%20A%2FB%3A%2050%25%20%2A%20~%20%28v1%29%21%20%E5%B8%A6%E5%AE%BD&GeographicRegionAId=China' +
            '&GeographicRegionBId=Asia-Pacific&Name=bwp%20test&Period=1&PricingCycle=Month&Tag.1.Key=env&Tag.1.Value=prod',
          'host:cbn.aliyuncs.com',
          'x-acs-accesskey-id:STS.NUgYrLnoC37mZZCNnAbez2Exa',
          'x-acs-action:CreateCenBandwidthPackage',
          'x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'x-acs-credentials-provider:static_sts',
          'x-acs-date:2025-01-02T03:04:05Z',
          'x-acs-security-token:CAIS+testToken/With+Special=Chars',
          'x-acs-signature-nonce:0123456789abcdef0123456789abcdef',
          'x-acs-version:2017-09-12',
          '',
          'host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version',
          'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        ].join('\n'),
      );
    });

    it('hashes the canonical request to 2688139f…3e03', () => {
      expect(signed.stringToSign).toBe('ACS3-HMAC-SHA256\n2688139febe31bc7ed99e9b22ac5aa91525d4611060adb951dac28bfc07c3e03');
    });

    it('produces signature e6ba50ee…6bc5 in the Authorization header', () => {
      expect(signed.signature).toBe('e6ba50ee16b5134ef71d114a8bdea66c4948eb2ad0f69713fd6ef215d6d56bc5');
      expect(signed.headers.authorization).toBe(
        'ACS3-HMAC-SHA256 Credential=STS.NUgYrLnoC37mZZCNnAbez2Exa,' +
          'SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,' +
          'Signature=e6ba50ee16b5134ef71d114a8bdea66c4948eb2ad0f69713fd6ef215d6d56bc5',
      );
    });
  });

  describe('C: minimal STS header set', () => {
    // Prepare
    const request: SignableRequest = { method: 'POST', host: 'cbn.aliyuncs.com', path: '/', query: queryFor(inputC, 'my plan'), headers: cbnHeaders };

    // Act
    const signed = signAcs3Detailed(request, stsCredentials, input);

    it('builds the canonical request byte for byte', () => {
      expect(signed.canonicalRequest).toBe(
        [
          'POST',
          '/',
          'AutoPay=true&Bandwidth=2&BandwidthPackageChargeType=PREPAY&ClientToken=token-123&Description=a%2Ab~c' +
            '&GeographicRegionAId=China&GeographicRegionBId=China&Name=my%20plan&Period=1&PricingCycle=Month',
          'host:cbn.aliyuncs.com',
          'x-acs-action:CreateCenBandwidthPackage',
          'x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'x-acs-date:2025-01-02T03:04:05Z',
          'x-acs-security-token:CAIS+testToken/With+Special=Chars',
          'x-acs-signature-nonce:0123456789abcdef0123456789abcdef',
          'x-acs-version:2017-09-12',
          '',
          'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version',
          'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        ].join('\n'),
      );
    });

    it('hashes the canonical request to 829c9e6e…b8f8', () => {
      expect(signed.stringToSign).toBe('ACS3-HMAC-SHA256\n829c9e6ed10fdc191042a8d7ab3a54fcddab424b316704d1ed123c894549b8f8');
    });

    it('produces signature 65b3e4ac…6e86', () => {
      expect(signed.signature).toBe('65b3e4ac00801de761503379fbe1fc6de14ededc3896fda6b04381194a7a6e86');
    });

    it('sends the STS token as the signed x-acs-security-token header', () => {
      expect(signed.headers['x-acs-security-token']).toBe('CAIS+testToken/With+Special=Chars');
    });
  });
});

describe('signAcs3Detailed', () => {
  const base: SignableRequest = { method: 'POST', host: 'cbn.aliyuncs.com', path: '/', query: {}, headers: {} };
  const credentials: Credentials = { accessKeyId: 'id', accessKeySecret: 'secret' };
  const input = { date: new Date('2025-01-02T03:04:05.678Z'), nonce: 'n' };

  it('sends no x-acs-security-token without an STS token', () => {
    const signed = signAcs3Detailed(base, credentials, input);

    expect(Object.keys(signed.headers).sort()).toStrictEqual(['authorization', 'host', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce']);
  });

  it('upper-cases the method in the canonical request', () => {
    const signed = signAcs3Detailed({ ...base, method: 'post' }, credentials, input);

    expect(signed.canonicalRequest.split('\n')[0]).toBe('POST');
  });

  it('keeps an empty query as an empty line', () => {
    const signed = signAcs3Detailed(base, credentials, input);

    expect(signed.canonicalRequest.split('\n').slice(0, 3)).toStrictEqual(['POST', '/', '']);
  });

  it.each([
    ['a string body', '{"a":"带宽"}', sha256(Buffer.from('{"a":"带宽"}', 'utf8'))],
    ['a byte body', new Uint8Array([0, 1, 2, 255]), sha256(new Uint8Array([0, 1, 2, 255]))],
    ['an empty body', '', EMPTY_BODY_SHA256],
  ])('hashes %s into x-acs-content-sha256 and the last canonical line', (_name, body, expected) => {
    const signed = signAcs3Detailed({ ...base, body }, credentials, input);

    expect(signed.headers['x-acs-content-sha256']).toBe(expected);
    expect(signed.canonicalRequest.split('\n').at(-1)).toBe(expected);
  });

  it('signs caller headers case-insensitively but sends unsigned ones too', () => {
    const signed = signAcs3Detailed(
      { ...base, headers: { 'X-Acs-Action': 'CreateCenBandwidthPackage', Accept: 'application/json', 'Content-Type': 'application/json' } },
      credentials,
      input,
    );

    expect(signed.headers.accept).toBe('application/json');
    expect(signed.canonicalRequest.split('\n').at(-2)).toBe('content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce');
  });

  it('gives a different signature for a different nonce', () => {
    const first = signAcs3Detailed(base, credentials, input);
    const second = signAcs3Detailed(base, credentials, { ...input, nonce: 'm' });

    expect(second.signature).not.toBe(first.signature);
  });
});

describe('percentEncode', () => {
  it.each([
    ['unreserved characters are kept', 'AZaz09-_.~', 'AZaz09-_.~'],
    ['space becomes %20, never +', 'a b', 'a%20b'],
    ['* becomes %2A', '*', '%2A'],
    ['~ is kept', '~', '~'],
    ["!'() are encoded", "!'()", '%21%27%28%29'],
    ['/ becomes %2F', '/', '%2F'],
    [': becomes %3A', ':', '%3A'],
    ['% becomes %25 (encoded once)', '%', '%25'],
    ['an already-encoded value is encoded again', '%20', '%2520'],
    ['+ becomes %2B', '+', '%2B'],
    ['= and & are encoded', '=&', '%3D%26'],
    ['Chinese becomes uppercase UTF-8 %XX', '带宽', '%E5%B8%A6%E5%AE%BD'],
    ['emoji becomes its 4 UTF-8 bytes', '😀', '%F0%9F%98%80'],
    ['the empty string stays empty', '', ''],
  ])('%s', (_rule, value, expected) => {
    expect(percentEncode(value)).toBe(expected);
  });
});

describe('canonicalQueryString', () => {
  it.each<[string, Record<string, string>, string]>([
    ['no query gives the empty string', {}, ''],
    ['sorts by name', { b: '2', a: '1' }, 'a=1&b=2'],
    ['sorts by code unit, not locale (A < B < _ < a)', { a: '4', _: '3', B: '2', A: '1' }, 'A=1&B=2&_=3&a=4'],
    ['sorts integer-like names as strings', { b: 'x', '9': 'y', '10': 'z' }, '10=z&9=y&b=x'],
    ['sorts Tag.10 before Tag.2', { 'Tag.2.Key': 'b', 'Tag.10.Key': 'c', 'Tag.1.Key': 'a' }, 'Tag.1.Key=a&Tag.10.Key=c&Tag.2.Key=b'],
    ['keeps an empty value as name=', { a: '', b: 'x' }, 'a=&b=x'],
    ['percent-encodes values', { Name: 'a b*c' }, 'Name=a%20b%2Ac'],
    ['percent-encodes names too (DOC: name and value)', { 'a b': '1' }, 'a%20b=1'],
  ])('%s', (_rule, query, expected) => {
    expect(canonicalQueryString(query)).toBe(expected);
  });
});

describe('canonicalHeaders', () => {
  it.each<[string, Record<string, string>, { canonical: string; signedHeaders: string }]>([
    ['no headers', {}, { canonical: '', signedHeaders: '' }],
    [
      'keeps only host, content-type and x-acs-*',
      { host: 'h', 'content-type': 'c', 'x-acs-a': 'a', accept: 'j', 'user-agent': 'u', authorization: 'z', 'content-length': '0', 'x-acsfoo': 'f' },
      { canonical: 'content-type:c\nhost:h\nx-acs-a:a\n', signedHeaders: 'content-type;host;x-acs-a' },
    ],
    [
      'lower-cases names',
      { Host: 'h', 'Content-Type': 'c', 'X-ACS-Action': 'a' },
      { canonical: 'content-type:c\nhost:h\nx-acs-action:a\n', signedHeaders: 'content-type;host;x-acs-action' },
    ],
    ['trims values but keeps inner spaces', { 'x-acs-a': '  one  two \t' }, { canonical: 'x-acs-a:one  two\n', signedHeaders: 'x-acs-a' }],
    [
      'sorts by name',
      { 'x-acs-version': 'v', host: 'h', 'x-acs-action': 'a', 'x-acs-date': 'd' },
      { canonical: 'host:h\nx-acs-action:a\nx-acs-date:d\nx-acs-version:v\n', signedHeaders: 'host;x-acs-action;x-acs-date;x-acs-version' },
    ],
    ['keeps an empty value as name:', { 'x-acs-a': '' }, { canonical: 'x-acs-a:\n', signedHeaders: 'x-acs-a' }],
  ])('%s', (_rule, headers, expected) => {
    expect(canonicalHeaders(headers)).toStrictEqual(expected);
  });
});

describe('formatAcsDate', () => {
  it.each([
    ['drops milliseconds', '2023-10-26T10:22:32.789Z', '2023-10-26T10:22:32Z'],
    ['drops zero milliseconds', '2023-10-26T10:22:32.000Z', '2023-10-26T10:22:32Z'],
    ['writes UTC', '2025-01-02T05:04:05+02:00', '2025-01-02T03:04:05Z'],
    ['pads single digits', '2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z'],
  ])('%s', (_rule, iso, expected) => {
    expect(formatAcsDate(new Date(iso))).toBe(expected);
  });
});

describe('signAcs3 agrees with the official @alicloud/openapi-util getAuthorization', () => {
  // Values mix every character class the encoder treats specially.
  const piece = fc.oneof(
    fc.constantFrom(' ', '*', '~', '!', "'", '(', ')', '/', '%', '+', '=', '&', ':', '带宽', '😀', 'é', '%20', '.', '-', '_'),
    fc.string({ unit: 'grapheme', maxLength: 4 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 8 }),
  );
  const text = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));

  // openapi-util sorts and emits names raw (it encodes values only, docs/sources.md, "Alibaba Cloud OpenAPI and CEN"); names made of
  // unreserved characters encode to themselves, so both sides agree on them. Encoded names are
  // covered by the canonicalQueryString table above.
  const unreservedName = fc.string({ unit: fc.constantFrom(...'ABCXYZabcxyz0189-_.~'), minLength: 1, maxLength: 12 });
  const tagName = fc.tuple(fc.integer({ min: 1, max: 20 }), fc.constantFrom('Key', 'Value')).map(([n, part]) => `Tag.${n}.${part}`);
  const query = fc.dictionary(fc.oneof(unreservedName, tagName), fc.oneof(text, fc.constant('')), { maxKeys: 12 });

  const reserved = new Set(['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-security-token']);
  const headerName = fc
    .tuple(fc.constantFrom('x-acs-', 'X-Acs-', 'X-ACS-', ''), fc.string({ unit: fc.constantFrom(...'abcdefxyz-'), minLength: 1, maxLength: 10 }))
    .map(([prefix, rest]) => prefix + rest);
  const headers = fc
    .uniqueArray(fc.tuple(headerName, text), { selector: ([name]) => name.toLowerCase(), maxLength: 5 })
    .map((entries) => Object.fromEntries(entries.filter(([name]) => !reserved.has(name.toLowerCase()))));
  const contentType = fc.option(fc.constantFrom('application/json', ' application/x-www-form-urlencoded ', 'text/plain; charset=utf-8'), { nil: undefined });

  const segment = fc.oneof(unreservedName, text).map(percentEncode);
  const path = fc.oneof(
    fc.constant('/'),
    fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
  );
  const body = fc.oneof(fc.constant(undefined), fc.constant(''), text, fc.uint8Array({ maxLength: 32 }));

  const credentials = fc.record({
    accessKeyId: fc.oneof(fc.constant('STS.NUgYrLnoC37mZZCNnAbez2Exa'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 24 })),
    accessKeySecret: fc.oneof(text, fc.constant('testSecretKey+/=')),
    securityToken: fc.option(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }), { nil: undefined }),
  });

  it('gives the same Authorization for random requests (≥ 300 runs)', () => {
    fc.assert(
      fc.property(
        fc.record({
          method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'),
          host: fc.constantFrom('cbn.aliyuncs.com', '127.0.0.1:8080', 'ecs.cn-shanghai.aliyuncs.com'),
          path,
          query,
          headers,
          contentType,
          body,
        }),
        credentials,
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }),
        (generated, creds, date, nonce) => {
          // Prepare
          const callerHeaders = generated.contentType === undefined ? generated.headers : { ...generated.headers, 'Content-Type': generated.contentType };
          const request: SignableRequest = {
            method: generated.method,
            host: generated.host,
            path: generated.path,
            query: generated.query,
            headers: callerHeaders,
            body: generated.body,
          };
          const payloadHash = sha256(generated.body ?? '');
          const teaRequest = new TeaRequest();
          teaRequest.method = generated.method;
          teaRequest.pathname = generated.path;
          teaRequest.query = { ...generated.query };
          teaRequest.headers = {
            ...callerHeaders,
            host: generated.host,
            'x-acs-date': `${date.toISOString().slice(0, 19)}Z`,
            'x-acs-signature-nonce': nonce,
            'x-acs-content-sha256': payloadHash,
            ...(creds.securityToken === undefined ? {} : { 'x-acs-security-token': creds.securityToken }),
          };

          // Act
          const ours = signAcs3(request, creds, { date, nonce }).authorization;
          const official = OpenApiUtil.getAuthorization(teaRequest, 'ACS3-HMAC-SHA256', payloadHash, creds.accessKeyId, creds.accessKeySecret);

          // Assess
          expect(ours).toBe(official);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('toQueryParameters feeds the signer the wire form', () => {
  it('flattens tags and stringifies booleans and numbers for vector B', () => {
    const validation = validateBandwidthPlan({
      AutoPay: true,
      Bandwidth: 2,
      BandwidthPackageChargeType: 'PREPAY',
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'Asia-Pacific',
      Period: 1,
      Tag: [{ Key: 'env', Value: 'prod' }],
    });
    const request = (validation as { ok: true; request: BandwidthPlanRequest }).request;

    expect(canonicalQueryString(toQueryParameters(request))).toBe(
      'AutoPay=true&Bandwidth=2&BandwidthPackageChargeType=PREPAY&GeographicRegionAId=China&GeographicRegionBId=Asia-Pacific' +
        '&Period=1&PricingCycle=Month&Tag.1.Key=env&Tag.1.Value=prod',
    );
  });
});

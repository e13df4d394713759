import { describe, expect, it } from 'vitest';
import { canonicalRequest, EMPTY_SHA256, signature } from '../oracles/acs3-reference';
import { verifyAcs3 } from './acs3-verify';

// docs/sources.md, "Alibaba Cloud OpenAPI and CEN" (official) and the SDK-computed regression vectors B and C.
const OFFICIAL = {
  credential: { accessKeyId: 'YourAccessKeyId', accessKeySecret: 'YourAccessKeySecret' },
  version: '2014-05-26',
  date: '2023-10-26T10:22:32Z',
  query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
  headers: {
    host: 'ecs.cn-shanghai.aliyuncs.com',
    'x-acs-action': 'RunInstances',
    'x-acs-content-sha256': EMPTY_SHA256,
    'x-acs-date': '2023-10-26T10:22:32Z',
    'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
    'x-acs-version': '2014-05-26',
  },
  signature: '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
};

const STS = { accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez2Exa', accessKeySecret: 'testSecretKey+/=', securityToken: 'CAIS+testToken/With+Special=Chars' };
const STS_HEADERS = {
  host: 'cbn.aliyuncs.com',
  'x-acs-action': 'CreateCenBandwidthPackage',
  'x-acs-content-sha256': EMPTY_SHA256,
  'x-acs-date': '2025-01-02T03:04:05Z',
  'x-acs-security-token': STS.securityToken,
  'x-acs-signature-nonce': '0123456789abcdef0123456789abcdef',
  'x-acs-version': '2017-09-12',
};
const VECTOR_B = {
  query: {
    AutoPay: 'true',
    Bandwidth: '2',
    BandwidthPackageChargeType: 'PREPAY',
    ClientToken: '6c7e9a2c-1b1b-4c1e-9f3a-2f8d7e0c1a11',
    Description: 'Plan A/B: 50% * ~ (v1)! 带宽',
    GeographicRegionAId: 'China',
    GeographicRegionBId: 'Asia-Pacific',
    Name: 'bwp test',
    Period: '1',
    PricingCycle: 'Month',
    'Tag.1.Key': 'env',
    'Tag.1.Value': 'prod',
  },
  headers: { ...STS_HEADERS, 'x-acs-accesskey-id': STS.accessKeyId, 'x-acs-credentials-provider': 'static_sts' },
  signature: 'e6ba50ee16b5134ef71d114a8bdea66c4948eb2ad0f69713fd6ef215d6d56bc5',
};
const VECTOR_C = {
  query: {
    AutoPay: 'true',
    Bandwidth: '2',
    BandwidthPackageChargeType: 'PREPAY',
    ClientToken: 'token-123',
    Description: 'a*b~c',
    GeographicRegionAId: 'China',
    GeographicRegionBId: 'China',
    Name: 'my plan',
    Period: '1',
    PricingCycle: 'Month',
  },
  headers: STS_HEADERS,
  signature: '65b3e4ac00801de761503379fbe1fc6de14ededc3896fda6b04381194a7a6e86',
};

const authorization = (accessKeyId: string, headers: Record<string, string>, sig: string) =>
  `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${Object.keys(headers).sort().join(';')},Signature=${sig}`;

describe('the reference signer used to craft test requests', () => {
  it.each([
    ['official RunInstances', OFFICIAL.query, OFFICIAL.headers, OFFICIAL.credential.accessKeySecret, OFFICIAL.signature],
    ['vector B (full SDK header set)', VECTOR_B.query, VECTOR_B.headers, STS.accessKeySecret, VECTOR_B.signature],
    ['vector C (minimal STS set)', VECTOR_C.query, VECTOR_C.headers, STS.accessKeySecret, VECTOR_C.signature],
  ])('reproduces %s', (_name, query, headers, secret, expected) => {
    const canonical = canonicalRequest({ method: 'POST', path: '/', query, signedHeaders: headers, payloadHash: EMPTY_SHA256 });
    expect(signature(canonical, secret)).toBe(expected);
  });
});

describe('verifyAcs3 (the doubles’ verifier) on vendor vectors', () => {
  it.each([
    ['official RunInstances', OFFICIAL.credential, OFFICIAL.version, OFFICIAL.date, OFFICIAL.query, OFFICIAL.headers, OFFICIAL.signature],
    ['vector B', STS, '2017-09-12', '2025-01-02T03:04:05Z', VECTOR_B.query, VECTOR_B.headers, VECTOR_B.signature],
    ['vector C', STS, '2017-09-12', '2025-01-02T03:04:05Z', VECTOR_C.query, VECTOR_C.headers, VECTOR_C.signature],
  ])('accepts %s', (_name, credential, version, date, query, headers, expected) => {
    const verdict = verifyAcs3(
      {
        method: 'POST',
        path: '/',
        query,
        headers: { ...headers, authorization: authorization(credential.accessKeyId, headers, expected) },
        body: Buffer.alloc(0),
      },
      { version, credentials: [credential], now: () => Date.parse(date), seenNonces: new Set() },
    );
    expect(verdict).toEqual({ ok: true, accessKeyId: credential.accessKeyId, action: headers['x-acs-action'] });
  });

  it('refuses vector C with one query value changed', () => {
    const verdict = verifyAcs3(
      {
        method: 'POST',
        path: '/',
        query: { ...VECTOR_C.query, Bandwidth: '3' },
        headers: { ...VECTOR_C.headers, authorization: authorization(STS.accessKeyId, VECTOR_C.headers, VECTOR_C.signature) },
        body: Buffer.alloc(0),
      },
      { version: '2017-09-12', credentials: [STS], now: () => Date.parse('2025-01-02T03:04:05Z'), seenNonces: new Set() },
    );
    expect(verdict.ok ? undefined : verdict.error.code).toBe('SignatureDoesNotMatch');
  });
});

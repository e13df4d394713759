/**
 * CPU work per request without the network: our validation + ACS3 signing against what the SDK does
 * for the same request before it sends it (flatten the query, hash the empty payload, getAuthorization).
 * Both sides sign with a fixed date and nonce; rounds alternate sides; the figure is the median round.
 */
import OpenApiUtil from '@alicloud/openapi-util';
import { Request as TeaRequest } from '@alicloud/tea-typescript';
import { formatAcsDate, signAcs3 } from '../shared/clients/signer/acs3';
import { toQueryParameters, validateBandwidthPlan } from '../shared/core/schema';
import { CREDENTIALS, PLAN, PLAN_WITH_DEFAULTS } from './events';
import { median, round } from './stats';

export interface SigningFigures {
  readonly iterations: number;
  readonly rounds: number;
  /** validateBandwidthPlan + toQueryParameters + signAcs3 */
  readonly oursUs: number;
  readonly oursValidateUs: number;
  /** toQueryParameters + signAcs3 of an already validated request */
  readonly oursSignUs: number;
  /** OpenApiUtil.query + tea Request + hash of the empty payload + getAuthorization */
  readonly sdkUs: number;
  /** ours (validate + sign) / SDK (sign only) */
  readonly ratio: number;
}

const DATE = new Date('2025-01-02T03:04:05Z');
const NONCE = '0123456789abcdef0123456789abcdef';
const HOST = '127.0.0.1:8080';
const CLIENT_TOKEN = 'http-6c7e9a2c-1b1b-4c1e-9f3a-2f8d7e0c1a11';
const ACTION_HEADERS = { 'x-acs-action': 'CreateCenBandwidthPackage', 'x-acs-version': '2017-09-12', accept: 'application/json' };

const signOurs = (query: Record<string, string>): string =>
  signAcs3({ method: 'POST', host: HOST, path: '/', query, headers: ACTION_HEADERS }, CREDENTIALS, { date: DATE, nonce: NONCE }).authorization!;

/** What openapi-client's doRequest does before sending: flatten the query, hash the empty payload, sign. */
function signSdk(): string {
  const teaRequest = new TeaRequest();
  teaRequest.method = 'POST';
  teaRequest.pathname = '/';
  teaRequest.query = OpenApiUtil.query({ ...PLAN_WITH_DEFAULTS, ClientToken: CLIENT_TOKEN });
  const payloadHash = OpenApiUtil.hexEncode(OpenApiUtil.hash(Buffer.from(''), 'ACS3-HMAC-SHA256'));
  teaRequest.headers = {
    host: HOST,
    ...ACTION_HEADERS,
    'x-acs-date': formatAcsDate(DATE),
    'x-acs-signature-nonce': NONCE,
    'x-acs-content-sha256': payloadHash,
    'x-acs-security-token': CREDENTIALS.securityToken,
  };
  return OpenApiUtil.getAuthorization(teaRequest, 'ACS3-HMAC-SHA256', payloadHash, CREDENTIALS.accessKeyId, CREDENTIALS.accessKeySecret);
}

export function measureSigning(iterations: number, rounds: number): SigningFigures {
  // The incoming request as the handler sees it: freshly parsed JSON with a ClientToken.
  const parsedInput = JSON.parse(JSON.stringify({ ...PLAN, ClientToken: CLIENT_TOKEN })) as unknown;
  const validated = validateBandwidthPlan(parsedInput);
  if (!validated.ok) throw new Error(`the typical request should be valid: ${JSON.stringify(validated.issues)}`);
  const request = validated.request;
  let sink = 0;

  const ours = (input: unknown): string => {
    const validation = validateBandwidthPlan(input);
    if (!validation.ok) throw new Error('invalid');
    return signOurs(toQueryParameters(validation.request));
  };
  const cases = {
    ours: () => (sink += ours(parsedInput).length),
    oursValidate: () => (sink += validateBandwidthPlan(parsedInput).ok ? 1 : 0),
    oursSign: () => (sink += signOurs(toQueryParameters(request)).length),
    sdk: () => (sink += signSdk().length),
  };

  // Same signature on both sides, or the comparison means nothing.
  if (ours(parsedInput) !== signSdk()) throw new Error(`signatures differ:\n ours ${ours(parsedInput)}\n sdk  ${signSdk()}`);

  const perRound: Record<keyof typeof cases, number[]> = { ours: [], oursValidate: [], oursSign: [], sdk: [] };
  const names = Object.keys(cases) as Array<keyof typeof cases>;
  const timeRound = (name: keyof typeof cases) => {
    const work = cases[name];
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) work();
    return Number(process.hrtime.bigint() - start) / 1e3 / iterations;
  };
  for (const name of names) timeRound(name); // warm-up round, unrecorded
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) perRound[name].push(timeRound(name));
  }
  if (sink === 0) throw new Error('unreachable');
  const oursUs = median(perRound.ours);
  const sdkUs = median(perRound.sdk);
  return {
    iterations,
    rounds,
    oursUs: round(oursUs, 2),
    oursValidateUs: round(median(perRound.oursValidate), 2),
    oursSignUs: round(median(perRound.oursSign), 2),
    sdkUs: round(sdkUs, 2),
    ratio: round(oursUs / sdkUs, 2),
  };
}

/**
 * The benchmark's loopback cloud: as cheap as an HTTP server can be, so that what is measured is the
 * client. It answers any `/topics/{topic}/messages` POST with a canned MNS 201, a CEN call whose
 * `x-acs-action` is DescribeCenBandwidthPackages with an empty page (no plan has the intent's tag, so
 * both sides go on to buy), and anything else with a canned CreateCenBandwidthPackage JSON. No
 * signature checks, no state; keep-alive on. Counts requests (lookups apart) and TCP connections, so
 * the benchmark can show that both clients make the same calls and reuse their connections, and keeps
 * the URL of the last create and of the last lookup, so it can check both sides send the same query.
 *
 * CEN and MNS listen on two ports, as they are two hosts in the cloud. On one port the official SDKs
 * fail: they share httpx's keep-alive agent, and every `callApi` leaves httpx's read timer armed on
 * its socket (tea-util reads the body itself), so `readTimeout` later it cancels whatever
 * `@alicloud/mns` request is then on that socket ("ReadTimeout: 40000", after about 10 s of calls).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpTransport } from '../shared/runtime/http';

const CEN_BODY = Buffer.from(
  JSON.stringify({
    RequestId: '6A1B2C3D-0000-4000-8000-BENCHBENCH01',
    CenBandwidthPackageId: 'cenbwp-bench00000000000000',
    CenBandwidthPackageOrderId: '208240000000000',
  }),
);
/** An empty page of DescribeCenBandwidthPackages, as CEN answers a Tag filter that matches nothing. */
const LIST_BODY = Buffer.from(
  JSON.stringify({
    CenBandwidthPackages: { CenBandwidthPackage: [] },
    TotalCount: 0,
    PageNumber: 1,
    PageSize: 50,
    RequestId: '6A1B2C3D-0000-4000-8000-BENCHBENCH02',
  }),
);
const MNS_BODY = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<Message xmlns="http://mns.aliyuncs.com/doc/v1/"><MessageId>5F290C926D472878-2-14D9529A8FA-200000001</MessageId>' +
    '<MessageBodyMD5>C5DD56A39F5F7BB8B3337C6D11B6D8C7</MessageBodyMD5></Message>',
);
const CEN_HEADERS = { 'content-type': 'application/json;charset=utf-8', 'content-length': String(CEN_BODY.length) };
const LIST_HEADERS = { 'content-type': 'application/json;charset=utf-8', 'content-length': String(LIST_BODY.length) };
const LOOKUP_ACTION = 'DescribeCenBandwidthPackages';
const MNS_HEADERS = {
  'content-type': 'text/xml;charset=utf-8',
  'content-length': String(MNS_BODY.length),
  'x-mns-request-id': '512B2A634403E52B1956133E',
};

export interface DoubleStats {
  connections: number;
  /** Every CEN call, lookups included. */
  cen: number;
  /** The CEN calls that were DescribeCenBandwidthPackages. */
  lookups: number;
  mns: number;
}

export interface FastDouble {
  /** CEN: `http://127.0.0.1:PORT` */
  readonly url: string;
  /** CEN: `127.0.0.1:PORT`, the form the SDK's Config wants. */
  readonly host: string;
  /** MNS: `http://127.0.0.1:PORT` */
  readonly mnsUrl: string;
  readonly stats: Readonly<DoubleStats>;
  /** Path and query of the last CEN create and the last lookup ('' before the first). */
  readonly last: { readonly create: string; readonly lookup: string };
  close(): Promise<void>;
}

export async function startFastDouble(): Promise<FastDouble> {
  const stats: DoubleStats = { connections: 0, cen: 0, lookups: 0, mns: 0 };
  const last = { create: '', lookup: '' };
  const answer: http.RequestListener = (request, response) => {
    const url = request.url ?? '';
    const mns = url.startsWith('/topics/');
    const lookup = !mns && request.headers['x-acs-action'] === LOOKUP_ACTION;
    // Read the (small) body before answering, as a real server would.
    request.resume();
    request.on('end', () => {
      if (mns) {
        stats.mns++;
        response.writeHead(201, MNS_HEADERS).end(MNS_BODY);
      } else if (lookup) {
        stats.cen++;
        stats.lookups++;
        last.lookup = url;
        response.writeHead(200, LIST_HEADERS).end(LIST_BODY);
      } else {
        stats.cen++;
        last.create = url;
        response.writeHead(200, CEN_HEADERS).end(CEN_BODY);
      }
    });
  };
  const servers = [http.createServer(answer), http.createServer(answer)] as const;
  const ports = await Promise.all(
    servers.map((server) => {
      // Idle sockets must outlive every pause of the benchmark, so no client ever reconnects.
      server.keepAliveTimeout = 120_000;
      server.on('connection', () => stats.connections++);
      return new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    }),
  );
  return {
    url: `http://127.0.0.1:${ports[0]}`,
    host: `127.0.0.1:${ports[0]}`,
    mnsUrl: `http://127.0.0.1:${ports[1]}`,
    stats,
    last,
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/**
 * The same canned answers without a network: a transport for our handler that measures our own CPU
 * work alone (no sockets, no double).
 */
export const cannedTransport: HttpTransport = async (request) => {
  if (request.url.pathname.startsWith('/topics/')) return { status: 201, headers: MNS_HEADERS, body: MNS_BODY };
  return request.headers['x-acs-action'] === LOOKUP_ACTION
    ? { status: 200, headers: LIST_HEADERS, body: LIST_BODY }
    : { status: 200, headers: CEN_HEADERS, body: CEN_BODY };
};

/**
 * A CEN call's parameters, sorted, with the ClientToken (wherever it appears: `ClientToken`, the
 * intent's tag) replaced by `<ClientToken>`: equal for two sides that send the same request for
 * different intents.
 */
export function callShape(pathAndQuery: string): string {
  const params = [...new URL(pathAndQuery, 'http://double').searchParams];
  const tokenKey = params.find(([name, value]) => /^Tag\.\d+\.Key$/.test(name) && value === 'bandwidth-plan:client-token')?.[0];
  const tokenName = tokenKey ? tokenKey.replace(/Key$/, 'Value') : 'ClientToken';
  const token = params.find(([name]) => name === tokenName)?.[1];
  return params
    .map(([name, value]) => `${name}=${token !== undefined && value === token ? '<ClientToken>' : value}`)
    .sort()
    .join('&');
}

/**
 * The benchmark's loopback cloud: as cheap as an HTTP server can be, so that what is measured is the
 * client. It answers any `/topics/{topic}/messages` POST with a canned MNS 201 and anything else with a
 * canned CreateCenBandwidthPackage JSON. No signature checks, no state; keep-alive on. Counts requests
 * and TCP connections, so the benchmark can show that both clients reuse their connections.
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
const MNS_BODY = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<Message xmlns="http://mns.aliyuncs.com/doc/v1/"><MessageId>5F290C926D472878-2-14D9529A8FA-200000001</MessageId>' +
    '<MessageBodyMD5>C5DD56A39F5F7BB8B3337C6D11B6D8C7</MessageBodyMD5></Message>',
);
const CEN_HEADERS = { 'content-type': 'application/json;charset=utf-8', 'content-length': String(CEN_BODY.length) };
const MNS_HEADERS = {
  'content-type': 'text/xml;charset=utf-8',
  'content-length': String(MNS_BODY.length),
  'x-mns-request-id': '512B2A634403E52B1956133E',
};

export interface DoubleStats {
  connections: number;
  cen: number;
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
  close(): Promise<void>;
}

export async function startFastDouble(): Promise<FastDouble> {
  const stats: DoubleStats = { connections: 0, cen: 0, mns: 0 };
  const answer: http.RequestListener = (request, response) => {
    const mns = request.url?.startsWith('/topics/') === true;
    // Read the (small) body before answering, as a real server would.
    request.resume();
    request.on('end', () => {
      if (mns) {
        stats.mns++;
        response.writeHead(201, MNS_HEADERS).end(MNS_BODY);
      } else {
        stats.cen++;
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
export const cannedTransport: HttpTransport = async (request) =>
  request.url.pathname.startsWith('/topics/') ? { status: 201, headers: MNS_HEADERS, body: MNS_BODY } : { status: 200, headers: CEN_HEADERS, body: CEN_BODY };

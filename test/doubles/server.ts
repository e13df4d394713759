/**
 * The loopback HTTP server under every double: 127.0.0.1 only, a port the OS picks, and a close()
 * that also destroys connections left open on purpose (a `hang` fault) or by keep-alive clients,
 * so tests end promptly.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface LoopbackServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/** Larger bodies are refused: nothing these services accept comes close. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

export async function startLoopbackServer(handle: RequestHandler): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in a double must be loud in the test that hit it, never a silent hang.
      console.error('[loopback cloud] handler failed:', error);
      if (response.headersSent) response.destroy();
      else response.writeHead(500, { 'content-type': 'text/plain' }).end(`loopback double failed: ${String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** Reads the whole request body, refusing more than {@link MAX_BODY_BYTES}. */
export function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLargeError(`request body larger than ${limit} bytes`));
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Ends the exchange without an answer, as a dropped connection does. */
export function dropConnection(response: ServerResponse): void {
  response.socket?.destroy();
}

/** Splits a request target into its raw (still encoded) path and query. */
export function splitTarget(target: string | undefined): { path: string; rawQuery: string } {
  const value = target ?? '/';
  const mark = value.indexOf('?');
  return mark < 0 ? { path: value, rawQuery: '' } : { path: value.slice(0, mark), rawQuery: value.slice(mark + 1) };
}

/** One header's value as a string (repeated headers are joined the way Node joins them). */
export function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

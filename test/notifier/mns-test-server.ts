/**
 * A minimal MNS topic on 127.0.0.1 for the notifier tests: it checks each request's signature with
 * the official SDK's signer (not ours), reads the XML with the SDK's parser, records what it got,
 * and answers with scripted replies, then 201 Created.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sameText } from '../doubles/constant-time';
import { sdkParseXml, sdkSignature } from '../oracles/mns-sdk-oracle';

/** A scripted answer: an HTTP reply, a connection reset, or no answer at all. */
export type Reply = { readonly status: number; readonly body: string } | 'reset' | 'hang';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The Authorization signature equals the SDK's signature of what arrived. */
  readonly signatureValid: boolean;
  /** `MessageBody` and `MessageTag` as the SDK's XML parser reads them; undefined if not a Message. */
  readonly message: { readonly body: string; readonly tag: string | undefined } | undefined;
}

export interface MnsTestServer {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly received: readonly ReceivedRequest[];
  close(): Promise<void>;
}

export function mnsErrorReply(status: number, code: string, requestId = `err-${code}`): Reply {
  return {
    status,
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error xmlns="http://mns.aliyuncs.com/doc/v1/">\n' +
      `  <Code>${code}</Code>\n  <Message>MNS says ${code} &amp; more.</Message>\n` +
      `  <RequestId>${requestId}</RequestId>\n  <HostId>127.0.0.1</HostId>\n</Error>\n`,
  };
}

export async function startMnsTestServer(options: { accessKeySecret: string; replies?: readonly Reply[] }): Promise<MnsTestServer> {
  const replies = [...(options.replies ?? [])];
  const received: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void answer(request, Buffer.concat(chunks).toString('utf8'), response);
    });
  });

  async function answer(request: http.IncomingMessage, body: string, response: http.ServerResponse): Promise<void> {
    const path = request.url ?? '';
    const signatureValid = verifySignature(request, path, options.accessKeySecret);
    const message = await readMessage(body);
    received.push({ method: request.method ?? '', path, headers: request.headers, body, signatureValid, message });
    const number = received.length;
    const reply: Reply = !signatureValid ? mnsErrorReply(403, 'SignatureDoesNotMatch') : (replies.shift() ?? created(`msg-${number}`, message?.body ?? ''));
    if (reply === 'hang') return;
    if (reply === 'reset') {
      request.socket.destroy();
      return;
    }
    response.writeHead(reply.status, { 'content-type': 'text/xml;charset=utf-8', 'x-mns-request-id': `req-${number}` });
    response.end(reply.body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function created(messageId: string, messageBody: string): Reply {
  const md5 = createHash('md5').update(messageBody).digest('hex').toUpperCase();
  return {
    status: 201,
    body: `<?xml version="1.0" encoding="utf-8"?>\n<Message xmlns="http://mns.aliyuncs.com/doc/v1/">\n  <MessageId>${messageId}</MessageId>\n  <MessageBodyMD5>${md5}</MessageBodyMD5>\n</Message>`,
  };
}

function verifySignature(request: http.IncomingMessage, path: string, accessKeySecret: string): boolean {
  const match = /^MNS ([^:]+):(.+)$/.exec(String(request.headers.authorization ?? ''));
  if (!match) return false;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
  return sameText(match[2]!, sdkSignature(accessKeySecret, request.method ?? '', headers, path));
}

async function readMessage(body: string): Promise<ReceivedRequest['message']> {
  try {
    const parsed = (await sdkParseXml(body)) as { Message?: { MessageBody?: string[]; MessageTag?: string[] } };
    const messageBody = parsed.Message?.MessageBody?.[0];
    return messageBody === undefined ? undefined : { body: messageBody, tag: parsed.Message?.MessageTag?.[0] };
  } catch {
    return undefined;
  }
}

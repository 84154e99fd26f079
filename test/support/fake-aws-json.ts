import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A started fake AWS endpoint. */
export interface FakeEndpoint {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Serves `handle` on 127.0.0.1 on a free port. */
export async function serveFake(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<FakeEndpoint> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type InstanceMode = 'ok' | 'fail' | 'reject';

/** One instance of a test service: a real HTTP server on 127.0.0.1 answering `{ instance, ...extra }`. */
export interface ServiceInstance {
  readonly name: string;
  readonly port: number;
  /** The service endpoint (`/call`). */
  readonly url: string;
  /** POST /call requests received (health probes not counted). */
  hits: number;
  mode: InstanceMode;
  /** Answer delay in ms. */
  delayMs: number;
  /** Extra fields of the JSON answer. */
  extra: Record<string, unknown>;
  /** Stops listening (connections refused), as a killed process. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  revive(): Promise<void>;
}

export async function startInstance(name: string, extra: Record<string, unknown> = {}): Promise<ServiceInstance> {
  let server: Server | undefined;
  const instance: ServiceInstance = {
    name, port: 0, url: '', hits: 0, mode: 'ok', delayMs: 0, extra,
    kill: async () => {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    revive: async () => {
      server = build(instance);
      await new Promise<void>((resolve) => server!.listen(instance.port, '127.0.0.1', resolve));
    },
  };
  server = build(instance);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(instance, { port, url: `http://127.0.0.1:${port}/call` });
  return instance;
}

function build(instance: ServiceInstance): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/health') return send(instance.mode === 'fail' ? 503 : 200, { ok: instance.mode !== 'fail' });
      instance.hits++;
      const answer = () => {
        if (instance.mode === 'fail') return send(500, { message: `${instance.name} is failing` });
        if (instance.mode === 'reject') return send(400, { message: `${instance.name} rejects this` });
        send(200, { instance: instance.name, ...instance.extra });
      };
      if (instance.delayMs > 0) setTimeout(answer, instance.delayMs);
      else answer();
    });
  });
}

export async function startInstances(names: readonly string[]): Promise<ServiceInstance[]> {
  return Promise.all(names.map((n) => startInstance(n)));
}

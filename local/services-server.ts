import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { BodyTooLarge, close, listen, readBody, sendJson } from './private/http.ts';
import { systemClock, type Clock } from './clock.ts';

export interface ServicesServerProps {
  /** @default STEPFLOW_SERVICES_PORT, else 3001 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default systemClock */
  readonly clock?: Clock;
}

export interface ServicesServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const DEFAULT_SERVICES_PORT = 3001;

type Route = (body: unknown, clock: Clock) => { status: number; body: unknown };

/**
 * Example HTTP services that `type: service` tasks in `definitions/` call offline; on AWS they are
 * whatever the definition's URLs point at.
 */
const routes: Record<string, Route> = {
  /** A notification service: accepts `{ to?, ... }` and returns a delivery receipt. */
  'POST /notify': (body, clock) => {
    const payload = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const to = payload.to ?? (payload.input as Record<string, unknown> | undefined)?.email ?? 'ops@example.com';
    return { status: 200, body: { delivered: true, to, at: new Date(clock.now()).toISOString() } };
  },
  'GET /health': () => ({ status: 200, body: { ok: true } }),
};

/** Starts the example services on 127.0.0.1. */
export async function startServicesServer(props: ServicesServerProps = {}): Promise<ServicesServer> {
  const host = props.host ?? '127.0.0.1';
  const clock = props.clock ?? systemClock;
  const server = createServer((req, res) => void handle(req, res, clock));
  const port = await listen(server, props.port ?? servicesPortFromEnv(), host);
  return { url: `http://${host}:${port}`, port, close: () => close(server) };
}

export function servicesPortFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.STEPFLOW_SERVICES_PORT);
  return env.STEPFLOW_SERVICES_PORT && Number.isInteger(value) && value >= 0 ? value : DEFAULT_SERVICES_PORT;
}

async function handle(req: IncomingMessage, res: ServerResponse, clock: Clock): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  const route = routes[`${req.method} ${path}`];
  if (!route) return sendJson(res, 404, { message: `no service at ${req.method} ${path}` });
  try {
    const text = (await readBody(req)).toString('utf8');
    let body: unknown = {};
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return sendJson(res, 400, { message: 'body is not JSON' });
      }
    }
    const reply = route(body, clock);
    sendJson(res, reply.status, reply.body);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendJson(res, 413, { message: error.message }, { connection: 'close' });
    sendJson(res, 500, { message: error instanceof Error ? error.message : String(error) });
  }
}

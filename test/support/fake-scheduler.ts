import { serveFake } from './fake-aws-json.ts';

/**
 * A small EventBridge Scheduler stand-in speaking restJson1 (CreateSchedule `POST /schedules/{Name}`,
 * DeleteSchedule `DELETE /schedules/{Name}`), for the API tests; errors carry `x-amzn-errortype`.
 */
export interface FakeScheduler {
  readonly endpoint: string;
  /** CreateSchedule requests by name. */
  readonly schedules: Map<string, Record<string, unknown>>;
  readonly calls: { method: string; name: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

export async function startFakeScheduler(): Promise<FakeScheduler> {
  const schedules = new Map<string, Record<string, unknown>>();
  const calls: FakeScheduler['calls'] = [];
  const served = await serveFake((req, text, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const name = decodeURIComponent(url.pathname.replace(/^\/schedules\//, ''));
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    calls.push({ method: req.method ?? '', name, body });
    const reply = (status: number, payload: unknown, errorType?: string) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
      res.end(JSON.stringify(payload));
    };
    if (req.method === 'POST') {
      if (schedules.has(name)) return reply(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
      schedules.set(name, body);
      return reply(200, { ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${String(body.GroupName)}/${name}` });
    }
    if (req.method === 'DELETE') {
      if (!schedules.delete(name)) return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
      return reply(200, {});
    }
    reply(404, { Message: 'no such operation' }, 'ResourceNotFoundException');
  });
  return { ...served, schedules, calls };
}

import { serveFake } from './fake-aws-json.ts';

/**
 * A small EventBridge stand-in speaking awsJson1_1 (`X-Amz-Target: AWSEvents.<Operation>`): PutEvents,
 * PutRule, PutTargets, DescribeRule, RemoveTargets, DeleteRule, for the API tests.
 */
export interface FakeEventBridge {
  readonly endpoint: string;
  readonly events: Record<string, unknown>[];
  readonly rules: Map<string, { rule: Record<string, unknown>; targets: Record<string, unknown>[] }>;
  readonly calls: { operation: string; body: Record<string, unknown> }[];
  /** Makes the next PutEvents entry fail with this error code. */
  failNextEvent(code: string, message: string): void;
  close(): Promise<void>;
}

export async function startFakeEventBridge(): Promise<FakeEventBridge> {
  const events: Record<string, unknown>[] = [];
  const rules: FakeEventBridge['rules'] = new Map();
  const calls: FakeEventBridge['calls'] = [];
  let nextFailure: { code: string; message: string } | undefined;
  let seq = 0;
  const served = await serveFake((req, text, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '').replace('AWSEvents.', '');
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    calls.push({ operation, body });
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(payload));
    };
    const notFound = (name: string) => reply(400, { __type: 'ResourceNotFoundException', message: `Rule ${name} does not exist.` });
    const name = String(body.Name ?? body.Rule ?? '');
    switch (operation) {
      case 'PutEvents': {
        const entries = body.Entries as Record<string, unknown>[];
        if (nextFailure) {
          const failure = nextFailure;
          nextFailure = undefined;
          return reply(200, { FailedEntryCount: 1, Entries: [{ ErrorCode: failure.code, ErrorMessage: failure.message }] });
        }
        events.push(...entries);
        return reply(200, { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: `event-${++seq}` })) });
      }
      case 'PutRule':
        rules.set(name, { rule: body, targets: rules.get(name)?.targets ?? [] });
        return reply(200, { RuleArn: `arn:aws:events:us-east-1:123456789012:rule/${name}` });
      case 'PutTargets': {
        const rule = rules.get(name);
        if (!rule) return notFound(name);
        rule.targets.push(...(body.Targets as Record<string, unknown>[]));
        return reply(200, { FailedEntryCount: 0, FailedEntries: [] });
      }
      case 'DescribeRule': {
        const rule = rules.get(name);
        return rule ? reply(200, { Name: name, ...rule.rule }) : notFound(name);
      }
      case 'RemoveTargets': {
        const rule = rules.get(name);
        if (!rule) return notFound(name);
        rule.targets = rule.targets.filter((t) => !(body.Ids as string[]).includes(String(t.Id)));
        return reply(200, { FailedEntryCount: 0, FailedEntries: [] });
      }
      case 'DeleteRule':
        rules.delete(name);
        return reply(200, {});
      default:
        return reply(400, { __type: 'UnknownOperationException', message: operation });
    }
  });
  return {
    ...served,
    events,
    rules,
    calls,
    failNextEvent: (code, message) => {
      nextFailure = { code, message };
    },
  };
}

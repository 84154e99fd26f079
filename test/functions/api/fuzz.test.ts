import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../../functions/api/routes.ts';
import { createEventRuleBody, createScheduleBody, publishEventBody, setFlagBody, startExecutionBody } from '../../../functions/api/schemas.ts';
import { callbackAnswer } from '../../../functions/api/operations/answer-callback.ts';
import { approvalDecision } from '../../../functions/api/operations/decide-approval.ts';
import { proxyEvent } from '../../support/proxy-event.ts';
import { registerInstanceBody } from '../../../functions/api/operations/service-instances.ts';
import { startSchedulingApiStack, type SchedulingApiStack } from '../../support/scheduling-api-stack.ts';

/** The body schema of each route that takes one: a body it refuses must never be accepted. */
const BODY_SCHEMAS: Record<string, { safeParse(value: unknown): { success: boolean } }> = {
  'POST /workflows/{name}/executions': startExecutionBody,
  'POST /schedules': createScheduleBody,
  'POST /events': publishEventBody,
  'PUT /flags/{name}': setFlagBody,
  'POST /event-rules': createEventRuleBody,
  'POST /callbacks/{token}': callbackAnswer,
  'PUT /services/{name}/instances/{id}': registerInstanceBody,
  'POST /approvals/{id}': approvalDecision,
};

const segment = fc.oneof(
  fc.constantFrom('orders', 'reports', 'daily_backup', 'capped', 'nope', 'orders.x', 'a'.repeat(81), 'x'.repeat(5000)),
  fc.string({ minLength: 1, maxLength: 120 }),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ input: fc.jsonValue({ maxDepth: 3 }), name: fc.option(fc.string({ maxLength: 100 }), { nil: undefined }) }, { requiredKeys: [] }),
  fc.record({ workflow: fc.constantFrom('orders', 'daily_backup', 'nope'), cron: fc.string(), rate: fc.string(), at: fc.string(), timezone: fc.string() }, { requiredKeys: ['workflow'] }),
  fc.record({ source: fc.string(), detailType: fc.string(), detail: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] }),
);
const query = fc.option(fc.dictionary(fc.constantFrom('status', 'limit', 'nextToken', 'workflow', 'bus', 'x'), fc.string({ maxLength: 40 })), { nil: undefined });

describe('API fuzzing (fast-check) over every route', () => {
  let stack: SchedulingApiStack;
  beforeAll(async () => {
    stack = await startSchedulingApiStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const routes = apiRoutes({} as never).map((route) => ({ method: route.method, path: route.path }));

  it.each(routes)('$method $path: never a 5xx, always the error shape, nothing accepted that its schema refuses', async ({ method, path }) => {
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 2, maxLength: 2 }), query, body, async ([first, second], params, payload) => {
        let i = 0;
        const filled = path.replace(/\{[^}]+\}/g, () => encodeURIComponent([first, second][i++]));
        const search = params ? `?${new URLSearchParams(params)}` : '';
        const response = await stack.handler(proxyEvent(method, filled + search, payload === undefined ? null : JSON.stringify(payload), { 'Content-Type': 'application/json' }), {} as never);
        const answer = JSON.parse(response.body || 'null') as { error?: { code: unknown; message: unknown } } | null;
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(answer).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
        }
        const schema = BODY_SCHEMAS[`${method} ${path}`];
        if (schema && !schema.safeParse(payload ?? {}).success) expect(response.statusCode).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 40 },
    );
  });
});

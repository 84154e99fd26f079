import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../project/load-project.ts';
import { LocalEngine } from '../../local/engine/local-engine.ts';
import { startServicesServer, type ServicesServer } from '../../local/services-server.ts';

const definitions = fileURLToPath(new URL('../../definitions', import.meta.url));
/** One input satisfying every example's input schema. */
const INPUT = { orderId: 'o-1', amount: 10, email: 'ada@example.com', source: 'demo', region: 'eu' };

describe('every example in definitions/ runs offline', () => {
  const { plans } = loadProject(definitions);
  let services: ServicesServer;
  let engine: LocalEngine;

  beforeAll(async () => {
    services = await startServicesServer({ port: 0 });
    // The seed's notification service is named by a task but declared nowhere: its URL comes from the invoker's environment.
    engine = new LocalEngine({ plans, retryIntervalMs: 0, serviceEnv: { STEPFLOW_SERVICE_NOTIFICATION_URL: `${services.url}/notify`, STEPFLOW_SERVICES_URL: services.url } });
  });

  afterAll(async () => {
    await engine.close();
    await services.close();
  });

  it('finds the examples', () => {
    expect(plans.length).toBeGreaterThan(0);
  });

  it.each(plans.map((p) => [p.name]))('%s succeeds', async (name) => {
    const done = await engine.wait((await engine.start(name, INPUT)).executionArn);

    expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
  });
});

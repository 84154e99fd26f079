import { describe, expect, it } from 'vitest';
import { startServicesServer } from '../../local/services-server.ts';
import { FakeClock } from '../support/fake-clock.ts';

describe('services server', () => {
  it('POST /notify answers a delivery receipt', async () => {
    const services = await startServicesServer({ port: 0, clock: new FakeClock(Date.UTC(2030, 0, 2, 3, 4, 5)) });
    try {
      const response = await fetch(`${services.url}/notify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: 'ana@example.com' }) });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ delivered: true, to: 'ana@example.com', at: '2030-01-02T03:04:05.000Z' });
    } finally {
      await services.close();
    }
  });

  it('answers 404 for an unknown service', async () => {
    const services = await startServicesServer({ port: 0 });
    try {
      expect((await fetch(`${services.url}/nope`)).status).toBe(404);
    } finally {
      await services.close();
    }
  });
});

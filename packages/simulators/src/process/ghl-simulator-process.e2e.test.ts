import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGhlSimulatorProcess, type GhlSimulatorProcess } from './start-ghl-simulator-process';

let sim: GhlSimulatorProcess;

beforeAll(async () => {
  sim = await startGhlSimulatorProcess({ rateLimit: { maxRequests: 2, windowMs: 60_000 } });
}, 30_000);
afterAll(async () => {
  await sim.close();
});

const get = (path: string, token: string) =>
  fetch(`${sim.url}${path}`, { headers: { Authorization: `Bearer ${token}`, Version: '2021-07-28' } });

describe('the GHL simulator in its own process', () => {
  it('runs in another process, is seeded over IPC and counts what it answered', async () => {
    expect(sim.pid).not.toBe(process.pid);
    await sim.addLocations([{ locationId: 'loc-1', accessToken: 'tok-1', timeZone: 'Europe/Berlin' }]);
    await sim.addAppointments([
      { locationId: 'loc-1', contactId: 'c-1', startTime: Date.parse('2030-06-01T10:00:00Z') },
    ]);
    const location = await get('/locations/loc-1', 'tok-1');
    expect(location.status).toBe(200);
    expect(((await location.json()) as { location: { timezone: string } }).location.timezone).toBe('Europe/Berlin');
    // Keep-alive outlives any client's gap between requests (a 1 s timeout meant a new connection per request).
    expect(location.headers.get('keep-alive')).toBe('timeout=65');
    const listed = await get('/contacts/c-1/appointments', 'tok-1');
    expect(((await listed.json()) as { events: unknown[] }).events).toHaveLength(1);
    expect((await get('/locations/loc-1', 'tok-1')).status).toBe(429);
    const stats = await sim.stats(['loc-1']);
    expect(stats).toEqual({
      accepted: 2,
      rateLimitRejections: 1,
      accounts: [{ account: 'loc-1', accepted: 2, maxAcceptedInWindow: 2 }],
    });
    await sim.resetStats();
    expect((await sim.stats([])).accepted).toBe(0);
  });
});

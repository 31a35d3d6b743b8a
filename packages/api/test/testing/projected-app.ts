/**
 * Test support: the test app (test-app.ts) listening with the projections running beside it, as `recon start`
 * runs them — for e2e tests that read leads, tasks or lead_identities after deliveries.
 */
import type { Position } from '@recon/eventstore';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { expect } from 'vitest';
import { startTestApp, type TestApp } from './test-app';

export interface ProjectedTestApp {
  readonly t: TestApp;
  readonly projections: ProjectionsHandle;
}

/** Starts the app (listening, production lead lookup) and the projections on its database and store. */
export async function startProjectedTestApp(
  options: Omit<Parameters<typeof startTestApp>[0], 'listen' | 'productionLookup'> & {
    clock: () => Date;
    /** The projections' clock; the app's clock unless given. */
    projectionsClock?: () => Date;
  },
): Promise<ProjectedTestApp> {
  const { projectionsClock, ...appOptions } = options;
  const t = await startTestApp({ ...appOptions, listen: true, productionLookup: true });
  const projections = startProjections({
    store: t.store,
    db: t.db,
    clock: projectionsClock ?? options.clock,
    options: { linkDispatchIntervalMs: 50 },
  });
  return { t, projections };
}

/** Stops what startProjectedTestApp started (either may be undefined when beforeAll failed). */
export async function stopProjectedTestApp(app: Partial<ProjectedTestApp>): Promise<void> {
  await app.projections?.stop();
  await app.t?.close();
}

/** Waits until the projections have applied `position` (a write's answer), failing the test after 15 s. */
export async function projectionsCaughtUp(app: ProjectedTestApp, position: Position | string): Promise<void> {
  const r = await app.projections.waitUntilCaughtUp(position as Position, { timeoutMs: 15_000 });
  expect(r.ok).toBe(true);
}

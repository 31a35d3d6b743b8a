/**
 * Child process of the crash test: runs the projections against DATABASE_URL with small batches
 * and a side effect that announces each core batch on stdout and then holds the transaction open
 * a moment, so the parent can SIGKILL it in the middle of a batch.
 */
import { createPostgresEventStore } from '@recon/eventstore';
import { sql } from 'kysely';
import { startProjections } from '../../src/index';
import type { ProjectionsDatabase } from '../../src/index';
import { testKysely } from '@recon/testkit';

const url = process.env['CRASH_DATABASE_URL'] ?? '';
const store = createPostgresEventStore({ connectionString: url, batchSize: 40, pollIntervalMs: 100 });
const db = testKysely<ProjectionsDatabase>(url);
let batches = 0;
startProjections({
  store,
  db,
  clock: () => new Date(),
  options: { maxBatch: 40, idleMs: 5, lockPollMs: 50 },
  sideEffects: [
    async (trx, batch) => {
      if (batch.projection !== 'core' || batch.events.length === 0) return;
      batches += 1;
      process.stdout.write(`IN_BATCH ${batches}\n`);
      await sql`SELECT pg_sleep(0.05)`.execute(trx);
    },
  ],
});

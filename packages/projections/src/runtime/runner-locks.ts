/**
 * Which projections have a live runner somewhere in the cluster: each runner holds the session
 * advisory lock (hashtext('recon.projection'), hashtext(name)) on this database while it runs
 * (projection-runner.ts takes it), so the lock scheme stays inside this package.
 */
import { sql, type Kysely } from 'kysely';

export async function projectionsWithRunner(db: Kysely<unknown>, names: readonly string[]): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`
    SELECT n.name FROM unnest(${[...names]}::text[]) AS n(name)
    WHERE EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = hashtext('recon.projection')::oid AND l.objid = hashtext(n.name)::oid)`.execute(db);
  return new Set(rows.map((r) => r.name));
}

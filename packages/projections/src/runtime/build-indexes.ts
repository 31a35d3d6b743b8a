/**
 * The second half of a bulk load: every key and index of the loaded generations built from the
 * loaded rows (one sort each), two statements at a time on their own connections, then fresh
 * statistics (ANALYZE) so the first live batches and reads plan with them. Used by rebuilds, and
 * by the benchmark's ceiling so both build the same indexes the same way.
 */
import { sql, type Kysely } from 'kysely';
import { ddlStatements, isIndexStatement } from './ddl';
import type { Projection } from './projection';

/** Memory for one index build (a sort that fits needs no temporary files). Session-local. */
const MAINTENANCE_WORK_MEM = '256MB';
const CONNECTIONS = 2;

export async function buildIndexes(
  db: Kysely<unknown>,
  generations: readonly { readonly projection: Pick<Projection, 'ddl' | 'tables'>; readonly schema: string }[],
): Promise<void> {
  const statements = generations.flatMap((g) =>
    ddlStatements(db, g.projection.ddl(g.schema)).filter((st) => isIndexStatement(st)),
  );
  const analyze = generations.flatMap((g) =>
    g.projection.tables.map((t) => sql`ANALYZE ${sql.table(`${g.schema}.${t}`)}`),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, () =>
      db.connection().execute(async (conn) => {
        await sql`SELECT set_config('maintenance_work_mem', ${MAINTENANCE_WORK_MEM}, false)`.execute(conn);
        for (let st = statements[next++]; st !== undefined; st = statements[next++]) await sql.raw(st).execute(conn);
        await sql`RESET maintenance_work_mem`.execute(conn);
      }),
    ),
  );
  next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, () =>
      db.connection().execute(async (conn) => {
        for (let st = analyze[next++]; st !== undefined; st = analyze[next++]) await st.execute(conn);
      }),
    ),
  );
}

/**
 * The second half of a bulk load: every key and index of the loaded generations built from the
 * loaded rows (one sort each), two statements at a time on their own connections, then fresh
 * statistics (ANALYZE) so the first live batches and reads plan with them. Used by rebuilds, and
 * by the benchmark's ceiling so both build the same indexes the same way.
 *
 * Append-only tables were loaded like their live inserts ignore conflicts (`firstWins`): should
 * the store have returned one event twice, the primary key finds the duplicate and the later
 * copies are deleted (a bulk-loaded heap keeps its load order in ctid) before building it again.
 */
import { sql, type Kysely } from 'kysely';
import { ddlStatements, isIndexStatement } from './ddl';
import type { Projection } from './projection';

/** Memory for one index build (a sort that fits needs no temporary files). Session-local. */
const MAINTENANCE_WORK_MEM = '256MB';
const CONNECTIONS = 2;

const PRIMARY_KEY = /^ALTER\s+TABLE\s+(\S+)\s+ADD\s+PRIMARY\s+KEY\s*\(([^)]*)\)/i;

async function run(conn: Kysely<unknown>, statement: string, firstWins: ReadonlySet<string>): Promise<void> {
  try {
    await sql.raw(statement).execute(conn);
  } catch (error) {
    const key = PRIMARY_KEY.exec(statement);
    const table = key?.[1];
    if ((error as { code?: string }).code !== '23505' || table === undefined || !firstWins.has(table)) throw error;
    const same = (key?.[2] ?? '')
      .split(',')
      .map((c) => `a.${c.trim()} = b.${c.trim()}`)
      .join(' AND ');
    await sql.raw(`DELETE FROM ${table} a USING ${table} b WHERE ${same} AND a.ctid > b.ctid`).execute(conn);
    await sql.raw(statement).execute(conn);
  }
}

export async function buildIndexes(
  db: Kysely<unknown>,
  generations: readonly {
    readonly projection: Pick<Projection, 'ddl' | 'tables'>;
    readonly schema: string;
    /** Tables whose duplicate keys keep their first row (append-only loads). */
    readonly firstWins?: readonly string[];
    /** Only the keys, indexes and statistics of these tables (default: all). */
    readonly tables?: readonly string[];
  }[],
): Promise<void> {
  const statements = generations.flatMap((g) =>
    ddlStatements(db, g.projection.ddl(g.schema)).filter(
      (st) => isIndexStatement(st) && (g.tables === undefined || g.tables.includes(tableOf(st))),
    ),
  );
  // As the DDL spells them: "schema".table
  const firstWins = new Set(
    generations.flatMap((g) => (g.firstWins ?? []).map((t) => `${ddlSchema(db, g.schema)}.${t}`)),
  );
  const analyze = generations.flatMap((g) =>
    (g.tables ?? g.projection.tables).map((t) => sql`ANALYZE ${sql.table(`${g.schema}.${t}`)}`),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, () =>
      db.connection().execute(async (conn) => {
        await sql`SELECT set_config('maintenance_work_mem', ${MAINTENANCE_WORK_MEM}, false)`.execute(conn);
        for (let st = statements[next++]; st !== undefined; st = statements[next++]) await run(conn, st, firstWins);
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

const TABLE_OF = /(?:\bON\s+(?:ONLY\s+)?|^ALTER\s+TABLE\s+(?:ONLY\s+)?)(?:"[^"]+"|\w+)\.("[^"]+"|\w+)/i;

/** The unqualified table an index statement builds on. */
function tableOf(statement: string): string {
  return (TABLE_OF.exec(statement)?.[1] ?? '').replace(/^"|"$/g, '');
}

function ddlSchema(db: Kysely<unknown>, schema: string): string {
  return sql.id(schema).compile(db).sql;
}

/**
 * Set-based writes: every table of a batch is written with ONE statement, whatever the number of
 * rows, by shipping the rows as one jsonb array and expanding it server-side with
 * jsonb_populate_recordset (the table's own row type does the casting). Rebuild and live batches
 * share these, and the benchmark's raw-SQL baseline uses them too.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';

type Trx = Transaction<unknown>;

function table(schema: string, name: string) {
  return sql.table(`${schema}.${name}`);
}

/** INSERT … ON CONFLICT (key) DO UPDATE of every non-key column, from `rows` (objects keyed by column). */
export function upsertStatement(
  schema: string,
  name: string,
  key: readonly string[],
  columns: readonly string[],
  rows: readonly object[],
): RawBuilder<unknown> | null {
  if (rows.length === 0) return null;
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const updates = columns.filter((c) => !key.includes(c));
  const set =
    updates.length === 0
      ? sql`DO NOTHING`
      : sql`DO UPDATE SET ${sql.join(updates.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`;
  return sql`
    INSERT INTO ${table(schema, name)} (${cols})
    SELECT ${cols} FROM jsonb_populate_recordset(NULL::${table(schema, name)}, ${JSON.stringify(rows)}::jsonb)
    ON CONFLICT (${sql.join(key.map((c) => sql.ref(c)))}) ${set}`;
}

export async function upsertRows(
  trx: Trx,
  schema: string,
  name: string,
  key: readonly string[],
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> {
  await executeAll(trx, [upsertStatement(schema, name, key, columns, rows)]);
}

/**
 * Runs several writes in one round trip: one statement whose data-modifying CTEs each write one
 * table (PostgreSQL runs every such CTE, referenced or not). The tables must differ.
 */
export async function executeAll(trx: Trx, statements: readonly (RawBuilder<unknown> | null)[]): Promise<void> {
  const present = statements.filter((x): x is RawBuilder<unknown> => x !== null);
  if (present.length === 0) return;
  if (present.length === 1) {
    await (present[0] as RawBuilder<unknown>).execute(trx);
    return;
  }
  const ctes = present.map((st, i) => sql`${sql.raw(`w${i}`)} AS (${st})`);
  await sql`WITH ${sql.join(ctes)} SELECT 1`.execute(trx);
}

/** INSERT … ON CONFLICT DO NOTHING (append-only tables such as history). */
export function insertIgnoringDuplicatesStatement(
  schema: string,
  name: string,
  columns: readonly string[],
  rows: readonly object[],
): RawBuilder<unknown> | null {
  if (rows.length === 0) return null;
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  return sql`
    INSERT INTO ${table(schema, name)} (${cols})
    SELECT ${cols} FROM jsonb_populate_recordset(NULL::${table(schema, name)}, ${JSON.stringify(rows)}::jsonb)
    ON CONFLICT DO NOTHING`;
}

export async function insertRowsIgnoringDuplicates(
  trx: Trx,
  schema: string,
  name: string,
  columns: readonly string[],
  rows: readonly object[],
): Promise<void> {
  await executeAll(trx, [insertIgnoringDuplicatesStatement(schema, name, columns, rows)]);
}

/** Adds deltas to counters: one statement for all (key…, value) rows. */
export function addToCountersStatement(
  schema: string,
  name: string,
  key: readonly string[],
  valueColumn: string,
  rows: readonly object[],
): RawBuilder<unknown> | null {
  if (rows.length === 0) return null;
  const cols = sql.join([...key, valueColumn].map((c) => sql.ref(c)));
  const t = table(schema, name);
  return sql`
    INSERT INTO ${t} (${cols})
    SELECT ${cols} FROM jsonb_populate_recordset(NULL::${t}, ${JSON.stringify(rows)}::jsonb)
    ON CONFLICT (${sql.join(key.map((c) => sql.ref(c)))})
    DO UPDATE SET ${sql.ref(valueColumn)} = ${t}.${sql.ref(valueColumn)} + excluded.${sql.ref(valueColumn)}`;
}

/**
 * Selects the rows whose key tuple is in `keys` (one statement). With `written` (rebuilds), keys
 * never written to this table before are not looked up, and the looked-up ones are recorded.
 */
export async function selectByKeys<R>(
  trx: Trx,
  schema: string,
  name: string,
  keyColumns: readonly string[],
  allKeys: readonly (readonly string[])[],
  written?: Set<string>,
): Promise<R[]> {
  let keys = allKeys;
  if (written !== undefined) {
    keys = [];
    for (const k of allKeys) {
      const id = `${name}\u0000${k.join('\u0000')}`;
      if (written.has(id)) (keys as (readonly string[])[]).push(k);
      else written.add(id);
    }
  }
  if (keys.length === 0) return [];
  const t = table(schema, name);
  const keyRows = keys.map((k) => Object.fromEntries(keyColumns.map((c, i) => [c, k[i]])));
  const result = await sql<R>`
    SELECT t.* FROM ${t} t
    JOIN jsonb_populate_recordset(NULL::${t}, ${JSON.stringify(keyRows)}::jsonb) k
      ON ${sql.join(
        keyColumns.map((c) => sql`t.${sql.ref(c)} = k.${sql.ref(c)}`),
        sql` AND `,
      )}`.execute(trx);
  return result.rows;
}

/** Deletes the rows whose key tuple is in `keys` (one statement). */
export async function deleteByKeys(
  trx: Trx,
  schema: string,
  name: string,
  keyColumns: readonly string[],
  keys: readonly (readonly string[])[],
): Promise<void> {
  if (keys.length === 0) return;
  const t = table(schema, name);
  const keyRows = keys.map((k) => Object.fromEntries(keyColumns.map((c, i) => [c, k[i]])));
  await sql`
    DELETE FROM ${t} t USING jsonb_populate_recordset(NULL::${t}, ${JSON.stringify(keyRows)}::jsonb) k
    WHERE ${sql.join(
      keyColumns.map((c) => sql`t.${sql.ref(c)} = k.${sql.ref(c)}`),
      sql` AND `,
    )}`.execute(trx);
}

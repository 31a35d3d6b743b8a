/**
 * Bulk loads of a rebuild's new generation: rows go to PostgreSQL with `COPY … FROM STDIN` (text
 * format) into tables that have no keys or indexes yet. Without a raw connection (a caller that
 * only has kysely) the rows go as large plain INSERTs from one jsonb array instead: slower, same rows.
 * Values: null → \N, booleans t/f, numbers as text, strings escaped, arrays of `arrays` columns as
 * PostgreSQL array literals, any other object or array as JSON (jsonb columns).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { TableRows } from './projection';

/** Where loads go: a raw client (COPY) or kysely (INSERT … SELECT FROM jsonb_populate_recordset). */
export type RowLoader =
  | { readonly kind: 'copy'; readonly client: pg.PoolClient }
  | { readonly kind: 'insert'; readonly db: Kysely<unknown> };

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeText(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c] ?? c) : s;
}

function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) =>
    v === null || v === undefined ? 'NULL' : `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`,
  );
  return `{${items.join(',')}}`;
}

/** One value in COPY text format. */
export function copyValue(value: unknown, isArray: boolean): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return escapeText(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
    case 'bigint':
      return String(value);
    default:
      if (isArray && Array.isArray(value)) return escapeText(arrayLiteral(value));
      return escapeText(JSON.stringify(value));
  }
}

/** One row as a line of COPY text (without its newline). */
export function copyLine(
  row: Readonly<Record<string, unknown>>,
  columns: readonly string[],
  arrays: readonly boolean[],
): string {
  let line = copyValue(row[columns[0] as string], arrays[0] === true);
  for (let i = 1; i < columns.length; i += 1) line += `\t${copyValue(row[columns[i] as string], arrays[i] === true)}`;
  return line;
}

/** Which of the columns are PostgreSQL arrays (see TableRows.arrays). */
export function arrayColumns(t: Pick<TableRows, 'columns' | 'arrays'>): boolean[] {
  return t.columns.map((c) => t.arrays?.includes(c) === true);
}

/** The rows as COPY text, in chunks of about `chunkRows` rows (joined once: no rope to flatten later). */
export function* copyChunks(t: TableRows, chunkRows = 2_000): Generator<string> {
  const arrays = arrayColumns(t);
  let lines: string[] = [];
  const source: Iterable<unknown> = t.lines ?? t.rows;
  const encoded = t.lines !== undefined;
  for (const item of source) {
    lines.push(encoded ? (item as string) : copyLine(item as Readonly<Record<string, unknown>>, t.columns, arrays));
    if (lines.length >= chunkRows) {
      lines.push('');
      yield lines.join('\n');
      lines = [];
    }
  }
  if (lines.length > 0) {
    lines.push('');
    yield lines.join('\n');
  }
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A started COPY of `chunks` into `schema.table`: every chunk is handed to the socket at once (the
 * caller's CPU work goes on while PostgreSQL ingests); resolves when the server has them all.
 */
export function startCopy(
  client: pg.PoolClient,
  schema: string,
  t: Pick<TableRows, 'table' | 'columns'>,
  chunks: Iterable<string>,
): Promise<void> {
  const stream = client.query(
    copyFrom(`COPY ${quoted(schema)}.${quoted(t.table)} (${t.columns.map(quoted).join(', ')}) FROM STDIN`),
  );
  return new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
}

/** Streams rows into `schema.table` with backpressure (large final loads). */
export async function copyRows(client: pg.PoolClient, schema: string, t: TableRows): Promise<void> {
  const stream = client.query(
    copyFrom(`COPY ${quoted(schema)}.${quoted(t.table)} (${t.columns.map(quoted).join(', ')}) FROM STDIN`),
  );
  const done = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', () => resolve());
  });
  done.catch(() => undefined);
  try {
    for (const chunk of copyChunks(t)) {
      if (!stream.write(chunk)) {
        await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), done]);
      }
    }
  } catch (error) {
    stream.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  stream.end();
  await done;
}

async function insertRows(db: Kysely<unknown>, schema: string, t: TableRows): Promise<void> {
  if (t.rows === undefined) throw new Error(`rows of ${t.table} were encoded for COPY`);
  const target = sql.table(`${schema}.${t.table}`);
  const cols = sql.join(t.columns.map((c) => sql.ref(c)));
  let batch: Readonly<Record<string, unknown>>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await sql`INSERT INTO ${target} (${cols})
      SELECT ${cols} FROM jsonb_populate_recordset(NULL::${target}, ${JSON.stringify(batch)}::jsonb)`.execute(db);
    batch = [];
  };
  for (const row of t.rows) {
    batch.push(row);
    if (batch.length >= 5_000) await flush();
  }
  await flush();
}

/** Loads rows with the loader's method. */
export async function loadRows(loader: RowLoader, schema: string, t: TableRows): Promise<void> {
  if (loader.kind === 'copy') await copyRows(loader.client, schema, t);
  else await insertRows(loader.db, schema, t);
}

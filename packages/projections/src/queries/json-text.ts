/**
 * SQL fragments that write JSON text in PostgreSQL exactly as JSON.stringify writes the API's
 * values (compact, ISO-8601 UTC times with milliseconds), so hot reads pass a page through to the
 * client instead of decoding rows into objects and encoding them again in Node.
 */
import { sql, type RawBuilder } from 'kysely';

/** A column as a JSON string (`to_json` escapes as JSON.stringify does), or `null`. */
export const jsonString = (column: string): RawBuilder<string> =>
  sql<string>`coalesce(to_json(${sql.ref(column)})::text, 'null')`;

// The colons are quoted literal text of the pattern: a colon before a letter would read as a
// variable to pgbench, which the read bench runs these statements with.
const ISO = `'YYYY-MM-DD"T"HH24":"MI":"SS.MS"Z"'`;

/** A timestamptz column as ISO text `2030-01-01T00:00:00.000Z` (Date#toISOString: milliseconds truncated, UTC). */
export const isoText = (column: string): RawBuilder<string> =>
  sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', ${sql.raw(ISO)})`;

/** A timestamptz column as `"2030-01-01T00:00:00.000Z"` (Date#toISOString, milliseconds truncated), or `null`. */
export const jsonIso = (column: string): RawBuilder<string> =>
  sql<string>`coalesce('"' || ${isoText(column)} || '"', 'null')`;

/** A boolean column as `true` / `false`. */
export const jsonBool = (column: string): RawBuilder<string> =>
  sql<string>`CASE WHEN ${sql.ref(column)} THEN 'true' ELSE 'false' END`;

/**
 * Automation gates: what a follow-up engine asks before enrolling or sending. The batch answer is
 * written as JSON text by PostgreSQL (one named statement: the requested ids in order, each joined
 * to its gate) and passed through by the route.
 */
import { sql, type Kysely } from 'kysely';
import { effectiveGate, type Gate } from './effective-state';
import { jsonString } from './json-text';
import { PREPARED } from './named-statements';
import type { ProjectionsDatabase } from './projections-database';

export async function getGate(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  leadId: string,
  now: Date,
): Promise<Gate | null> {
  const row = await db
    .selectFrom('automation_gates')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', '=', leadId)
    .executeTakeFirst();
  return row === undefined ? null : effectiveGate(row, now);
}

/** Gates of many leads at once (one query); leads the projection never saw are absent from the map. */
export async function getGates(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  leadIds: readonly string[],
  now: Date,
): Promise<Map<string, Gate>> {
  if (leadIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('automation_gates')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', 'in', [...new Set(leadIds)])
    .execute();
  return new Map(rows.map((r) => [r.lead_id, effectiveGate(r, now)]));
}

/** What a lead recon never saw answers: nothing is verified about it, so it may not be enrolled. */
export const UNKNOWN_LEAD_GATE = { mayEnroll: false, mustPause: false, reason: 'unknown_lead' } as const;

/**
 * `{"items":[{leadId, found, mayEnroll, mustPause, reason}, …]}` as JSON text, one item per
 * requested id in request order (duplicates included); unknown leads `found: false` with
 * UNKNOWN_LEAD_GATE. The reason is effectiveGate's: a booked lead whose meeting ended by `now`
 * reads `completed`.
 */
export async function gatesJson(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  leadIds: readonly string[],
  now: Date,
): Promise<string> {
  const unknown = `,"found":false,"mayEnroll":false,"mustPause":false,"reason":${JSON.stringify(UNKNOWN_LEAD_GATE.reason)}}`;
  // Every colon ends a literal (`'…":' || 'true'`): a colon before a letter would read as a variable
  // to pgbench, which the read bench runs this statement with.
  const unknownSql = sql.join(
    unknown.split(/(?<=:)/).map((part) => sql.lit(part)),
    sql` || `,
  );
  const { rows } = await sql<{ body: string }>`${sql.raw(PREPARED)}
    SELECT '{"items":[' || coalesce(string_agg('{"leadId":' || to_json(u.lead_id)::text || CASE WHEN g.lead_id IS NULL
        THEN ${unknownSql}
        ELSE ',"found":' || 'true,"mayEnroll":' || CASE WHEN g.may_enroll THEN 'true' ELSE 'false' END
          || ',"mustPause":' || CASE WHEN g.must_pause THEN 'true' ELSE 'false' END
          || ',"reason":' || CASE WHEN g.booking_state = 'booked' AND g.current_status = 'scheduled'
               AND g.current_end_at <= ${now}::timestamptz THEN '"completed"' ELSE ${jsonString('g.reason')} END || '}'
        END, ',' ORDER BY u.ord), '') || ']}' AS body
    FROM unnest(${[...leadIds]}::text[]) WITH ORDINALITY AS u(lead_id, ord)
    LEFT JOIN automation_gates g ON g.workspace_id = ${workspaceId} AND g.lead_id = u.lead_id`.execute(db);
  return rows[0]?.body ?? '{"items":[]}';
}

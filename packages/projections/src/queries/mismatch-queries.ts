/**
 * Open mismatches for triage, keyset-paged by (since, lead, kind) on the partial "open" indexes.
 * The page is written as JSON text by PostgreSQL (one named statement per shape, `status = 'open'`
 * inlined so the generic plan keeps the partial index) and passed through by the route;
 * `listMismatches` parses the same text for callers that want objects.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import type { MismatchesTable } from '../core/core-tables';
import { decodeCursor, encodeCursor, pageLimit, type PageResult } from './cursor';
import { isoText, jsonBool, jsonIso, jsonString } from './json-text';
import { PREPARED } from './named-statements';
import type { ProjectionsDatabase } from './projections-database';

export interface MismatchItem {
  readonly leadId: string;
  readonly kind: string;
  readonly since: string;
  readonly sentiment: { readonly label: string; readonly classifiedAt: string | null } | null;
  readonly lastInboundAt: string | null;
  readonly lastMessageDirection: string | null;
  readonly evidence: unknown;
  readonly autoCorrected: boolean;
}

export function toMismatchItem(r: Selectable<MismatchesTable>): MismatchItem {
  return {
    leadId: r.lead_id,
    kind: r.kind,
    since: r.since.toISOString(),
    sentiment:
      r.sentiment_label === null
        ? null
        : { label: r.sentiment_label, classifiedAt: r.sentiment_at?.toISOString() ?? null },
    lastInboundAt: r.last_inbound_at?.toISOString() ?? null,
    lastMessageDirection: r.last_message_direction,
    evidence: r.evidence,
    autoCorrected: r.auto_corrected,
  };
}

const MismatchCursor = z.tuple([z.iso.datetime(), z.string(), z.string()]);
/** Sorts before every row: the first page is the page after it, so each shape is one statement. */
const START: readonly [string, string, string] = ['-infinity', '', ''];

/** One item, in MismatchItem's field order (evidence is jsonb's own text of the stored value). */
const ITEM = sql<string>`'{"leadId":' || ${jsonString('lead_id')} || ',"kind":' || ${jsonString('kind')}
  || ',"since":' || ${jsonIso('since')}
  || ',"sentiment":' || CASE WHEN sentiment_label IS NULL THEN 'null'
       ELSE '{"label":' || ${jsonString('sentiment_label')} || ',"classifiedAt":' || ${jsonIso('sentiment_at')} || '}' END
  || ',"lastInboundAt":' || ${jsonIso('last_inbound_at')}
  || ',"lastMessageDirection":' || ${jsonString('last_message_direction')}
  || ',"evidence":' || evidence::text || ',"autoCorrected":' || ${jsonBool('auto_corrected')} || '}'`;

interface PageRow {
  readonly items: string;
  readonly rows: number;
  readonly last_since: string | null;
  readonly last_lead: string | null;
  readonly last_kind: string | null;
}

function pageQuery(workspaceId: string, kind: string | undefined, after: readonly string[], limit: number) {
  const [since, lead, afterKind] = after;
  const kindFilter = kind === undefined ? sql`` : sql`AND kind = ${kind}`;
  // limit + 1 rows tell whether there is a next page; its cursor is the limit-th row's key.
  return sql<PageRow>`${sql.raw(PREPARED)}
    SELECT '[' || coalesce(string_agg(${ITEM}, ',' ORDER BY n) FILTER (WHERE n <= ${limit}::int), '') || ']' AS items,
      count(*)::int AS rows,
      max(${isoText('since')}) FILTER (WHERE n = ${limit}::int) AS last_since,
      max(lead_id) FILTER (WHERE n = ${limit}::int) AS last_lead,
      max(kind) FILTER (WHERE n = ${limit}::int) AS last_kind
    FROM (
      SELECT *, row_number() OVER (ORDER BY since, lead_id, kind) AS n FROM (
        SELECT lead_id, kind, since, sentiment_label, sentiment_at, last_inbound_at, last_message_direction, evidence,
          auto_corrected
        FROM mismatches
        WHERE workspace_id = ${workspaceId} AND status = 'open' ${kindFilter}
          AND (since, lead_id, kind) > (${since}::timestamptz, ${lead}::text, ${afterKind}::text)
        ORDER BY since, lead_id, kind
        LIMIT ${limit}::int + 1) page) numbered`;
}

export interface MismatchQuery {
  readonly kind?: string;
  readonly limit?: number;
  readonly cursor?: string | null;
}

/** The page `{"items":[…],"nextCursor":…}` as JSON text, exactly what the API answers. */
export async function mismatchPageJson(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  query: MismatchQuery = {},
): Promise<{ readonly ok: true; readonly value: string } | { readonly ok: false; readonly code: 'CURSOR_INVALID' }> {
  const cursor = decodeCursor(query.cursor, MismatchCursor);
  if (!cursor.ok) return cursor;
  const limit = pageLimit(query.limit);
  const { rows } = await pageQuery(workspaceId, query.kind, cursor.value ?? START, limit).execute(db);
  const r = rows[0];
  const next =
    r !== undefined && r.rows > limit && r.last_since !== null && r.last_lead !== null && r.last_kind !== null
      ? JSON.stringify(encodeCursor([r.last_since, r.last_lead, r.last_kind]))
      : 'null';
  return { ok: true, value: `{"items":${r?.items ?? '[]'},"nextCursor":${next}}` };
}

/** The same page as objects. */
export async function listMismatches(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  query: MismatchQuery = {},
): Promise<PageResult<MismatchItem>> {
  const page = await mismatchPageJson(db, workspaceId, query);
  return page.ok ? { ok: true, value: JSON.parse(page.value) } : page;
}

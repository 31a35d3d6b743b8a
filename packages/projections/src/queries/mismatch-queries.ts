/** Open mismatches for triage, keyset-paged by (since, lead, kind) on the partial "open" indexes. */
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { MismatchesTable } from '../core/core-tables';
import { decodeCursor, encodeCursor, pageLimit, type PageResult } from './cursor';
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

export async function listMismatches(
  db: Kysely<ProjectionsDatabase>,
  workspaceId: string,
  query: { readonly kind?: string; readonly limit?: number; readonly cursor?: string | null } = {},
): Promise<PageResult<MismatchItem>> {
  const cursor = decodeCursor(query.cursor, MismatchCursor);
  if (!cursor.ok) return cursor;
  const limit = pageLimit(query.limit);
  let q = db.selectFrom('mismatches').selectAll().where('workspace_id', '=', workspaceId).where('status', '=', 'open');
  if (query.kind !== undefined) q = q.where('kind', '=', query.kind);
  if (cursor.value !== null) {
    const [since, lead, kind] = cursor.value;
    q = q.where((eb) => eb(eb.refTuple('since', 'lead_id', 'kind'), '>', eb.tuple(new Date(since), lead, kind)));
  }
  const rows = await q
    .orderBy('since')
    .orderBy('lead_id')
    .orderBy('kind')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page[page.length - 1] : undefined;
  return {
    ok: true,
    value: {
      items: page.map(toMismatchItem),
      nextCursor: last === undefined ? null : encodeCursor([last.since.toISOString(), last.lead_id, last.kind]),
    },
  };
}

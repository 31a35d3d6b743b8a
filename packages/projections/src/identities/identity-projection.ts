/**
 * The `identities` projection and its process manager. It keeps lead_identities (what ingest
 * matches bookings against) and the match keys of unmatched bookings. In live mode, after writing
 * a batch, it looks for unmatched bookings that now match a lead (either side may have changed)
 * and records link requests in `projection_link_requests` in the same transaction; the link
 * dispatcher then appends `AppointmentLinkedToLead` (deterministic id, exact expected revision).
 * A rebuild never requests links: the links it would request were requested when live.
 * `LeadContactErased` deletes the lead's identity row, so erased leads match no later booking.
 */
import {
  APPOINTMENT_STREAM_PREFIX,
  appointmentStreamName,
  LEAD_STREAM_PREFIX,
  type AppointmentEvent,
  type Provider,
} from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { sql, type Transaction } from 'kysely';
import type { BatchContext, ProjectedEvent, Projection, ProjectionChange } from '../runtime/projection';
import {
  deleteByKeys,
  executeAll,
  insertIgnoringDuplicatesStatement,
  selectByKeys,
  upsertStatement,
} from '../runtime/set-writes';
import { uuidV5 } from '../runtime/uuid-v5';
import { identityTablesDdl, IDENTITY_TABLES } from './identity-tables';
import { DELIVERY_FACT_COLUMNS, deliveryFactRow, type DeliveryFactRow } from '../deliveries/delivery-facts';
import { identitiesReplay } from './identity-replay';
import { IDENTITY_COLUMNS, identityRow, KEY_COLUMNS, nextKeyRow, type Row } from './identity-rows';

type Trx = Transaction<unknown>;
const k = (...parts: string[]) => parts.join('\u0000');

export function linkRequestId(
  workspaceId: string,
  provider: string,
  providerAppointmentId: string,
  leadId: string,
): string {
  return uuidV5(`link|${workspaceId}|${provider}|${providerAppointmentId}|${leadId}`);
}

async function applyBatch(
  trx: Trx,
  events: readonly ProjectedEvent[],
  ctx: BatchContext,
): Promise<readonly ProjectionChange[]> {
  const leadKeys = new Map<string, string[]>();
  const apptKeys = new Map<string, string[]>();
  for (const { event } of events) {
    const d = event.data as {
      workspaceId: string;
      leadId: string | null;
      provider?: string;
      providerAppointmentId?: string;
    };
    if (event.type === 'LeadRegistered' || event.type === 'LeadContactChanged' || event.type === 'LeadContactErased')
      leadKeys.set(k(d.workspaceId, d.leadId ?? ''), [d.workspaceId, d.leadId ?? '']);
    if (d.provider !== undefined && d.providerAppointmentId !== undefined)
      apptKeys.set(k(d.workspaceId, d.provider, d.providerAppointmentId), [
        d.workspaceId,
        d.provider,
        d.providerAppointmentId,
      ]);
  }
  const identities = new Map<string, Row>();
  for (const r of await selectByKeys<Row>(
    trx,
    ctx.schema,
    'lead_identities',
    ['workspace_id', 'lead_id'],
    [...leadKeys.values()],
    ctx.written,
  )) {
    identities.set(k(r['workspace_id'] as string, r['lead_id'] as string), r);
  }
  const keys = new Map<string, Row>();
  for (const r of await selectByKeys<Row>(
    trx,
    ctx.schema,
    'unmatched_appointment_keys',
    ['workspace_id', 'provider', 'provider_appointment_id'],
    [...apptKeys.values()],
    ctx.written,
  )) {
    keys.set(k(r['workspace_id'] as string, r['provider'] as string, r['provider_appointment_id'] as string), r);
  }
  const dirtyIdentities = new Set<string>();
  /** Leads erased by this batch (and not given a new contact after): their rows are deleted. */
  const erasedIdentities = new Map<string, string[]>();
  /** The email hashes those leads held: unmatched bookings by the same person forget them too. */
  const erasedHashes: string[][] = [];
  const dirtyKeys = new Set<string>();
  const facts: DeliveryFactRow[] = [];
  const newer = (row: Row | undefined, p: Position) =>
    row === undefined || ctx.comparePositions(p, row.position as Position) > 0;
  for (const { recorded, event } of events) {
    const p = recorded.position;
    if (event.type === 'LeadRegistered' || event.type === 'LeadContactChanged') {
      const key = k(event.data.workspaceId, event.data.leadId);
      if (!newer(identities.get(key), p)) continue;
      identities.set(key, identityRow(event, p));
      dirtyIdentities.add(key);
      erasedIdentities.delete(key);
    } else if (event.type === 'LeadContactErased') {
      // In store order: rows built from the earlier contact events go, on a live erasure and on every rebuild.
      const key = k(event.data.workspaceId, event.data.leadId);
      const erased = identities.get(key);
      if (!newer(erased, p)) continue;
      identities.delete(key);
      dirtyIdentities.delete(key);
      erasedIdentities.set(key, [event.data.workspaceId, event.data.leadId]);
      const hashes = [erased?.['email_hash'], ...((erased?.['alternate_email_hashes'] as string[] | undefined) ?? [])];
      for (const h of hashes) if (typeof h === 'string') erasedHashes.push([event.data.workspaceId, h]);
    } else if (event.type.startsWith('Appointment')) {
      const d = event.data as AppointmentEvent['data'];
      const fact = deliveryFactRow(recorded, event);
      if (fact !== null) facts.push(fact);
      const key = k(d.workspaceId, d.provider, d.providerAppointmentId);
      const prev = keys.get(key);
      if (!newer(prev, p)) continue;
      keys.set(key, nextKeyRow(prev, event as AppointmentEvent, p));
      dirtyKeys.add(key);
    }
  }
  const identityRows = [...dirtyIdentities].map((key) => identities.get(key) as Row);
  const keyRows = [...dirtyKeys].map((key) => keys.get(key) as Row);
  await deleteByKeys(trx, ctx.schema, 'lead_identities', ['workspace_id', 'lead_id'], [...erasedIdentities.values()]);
  await executeAll(trx, [
    upsertStatement(ctx.schema, 'lead_identities', ['workspace_id', 'lead_id'], IDENTITY_COLUMNS, identityRows),
    upsertStatement(
      ctx.schema,
      'unmatched_appointment_keys',
      ['workspace_id', 'provider', 'provider_appointment_id'],
      KEY_COLUMNS,
      keyRows,
    ),
    insertIgnoringDuplicatesStatement(ctx.schema, 'delivery_facts', DELIVERY_FACT_COLUMNS, facts),
  ]);
  await blankLinkedKeys(trx, ctx.schema, [...erasedIdentities.values()]);
  await forgetErasedHashes(trx, ctx.schema, erasedHashes);
  if (ctx.mode !== 'live') return [];
  return requestLinks(
    trx,
    ctx.schema,
    identityRows,
    keyRows.filter((r) => r['linked_lead_id'] === null),
  );
}

/**
 * The match keys of the bookings linked to an erased lead are cleared too (rows linked before
 * linked rows stopped keeping them; a linked booking is never matched again, so they served
 * nothing; kept, they would tie the lead to the email).
 */
async function blankLinkedKeys(trx: Trx, schema: string, leads: readonly string[][]): Promise<void> {
  if (leads.length === 0) return;
  const keys = JSON.stringify(leads.map(([workspace_id, lead_id]) => ({ workspace_id, lead_id })));
  await sql`
    UPDATE ${sql.table(`${schema}.unmatched_appointment_keys`)} p
    SET invitee_email_hash = NULL, guest_email_hashes = '{}', ghl_contact_id = NULL
    FROM jsonb_to_recordset(${keys}::jsonb) AS x(workspace_id text, lead_id text)
    WHERE p.workspace_id = x.workspace_id AND p.linked_lead_id = x.lead_id`.execute(trx);
}

/**
 * Unmatched bookings (an email on two leads leaves them so) drop the erased lead's email hashes
 * from their invitee and guest keys: nothing kept ties them to the erased person.
 */
async function forgetErasedHashes(trx: Trx, schema: string, hashes: readonly string[][]): Promise<void> {
  if (hashes.length === 0) return;
  const pairs = JSON.stringify(hashes.map(([workspace_id, hash]) => ({ workspace_id, hash })));
  await sql`
    WITH gone AS (SELECT workspace_id, array_agg(hash) AS hashes
      FROM jsonb_to_recordset(${pairs}::jsonb) AS x(workspace_id text, hash text) GROUP BY workspace_id)
    UPDATE ${sql.table(`${schema}.unmatched_appointment_keys`)} p
    SET invitee_email_hash = CASE WHEN p.invitee_email_hash = ANY(g.hashes) THEN NULL ELSE p.invitee_email_hash END,
      guest_email_hashes = ARRAY(SELECT h FROM unnest(p.guest_email_hashes) AS h WHERE h <> ALL(g.hashes))
    FROM gone g
    WHERE p.workspace_id = g.workspace_id AND p.linked_lead_id IS NULL
      AND (p.invitee_email_hash = ANY(g.hashes) OR p.guest_email_hashes && g.hashes)`.execute(trx);
}

/**
 * Finds unmatched bookings that match a lead, among those this batch touched on either side. Every
 * lead matching a booking is a candidate, ranked (email, alternate email, GHL contact, UTM, guest);
 * a booking is linked only when exactly one lead holds its best rank: an email on two leads is
 * ambiguous and waits for an operator, never given to the smallest lead id.
 */
async function requestLinks(
  trx: Trx,
  schema: string,
  leads: readonly Row[],
  unmatched: readonly Row[],
): Promise<ProjectionChange[]> {
  if (leads.length === 0 && unmatched.length === 0) return [];
  const t = (name: string) => sql.table(`${schema}.${name}`);
  const leadKeys = JSON.stringify(leads.map((r) => ({ workspace_id: r['workspace_id'], lead_id: r['lead_id'] })));
  const apptKeys = JSON.stringify(
    unmatched.map((r) => ({
      workspace_id: r['workspace_id'],
      provider: r['provider'],
      provider_appointment_id: r['provider_appointment_id'],
    })),
  );
  const matches = sql`i.workspace_id = p.workspace_id AND (
        i.email_hash = p.invitee_email_hash OR p.invitee_email_hash = ANY(i.alternate_email_hashes)
        OR i.ghl_contact_id = p.ghl_contact_id OR i.lead_id = ANY(p.utm_lead_ids)
        OR i.email_hash = ANY(p.guest_email_hashes) OR i.alternate_email_hashes && p.guest_email_hashes)`;
  const found = await sql<{
    workspace_id: string;
    provider: string;
    provider_appointment_id: string;
    lead_id: string;
    matched_by: string;
  }>`
    WITH affected AS (
      SELECT p.* FROM ${t('unmatched_appointment_keys')} p
      WHERE p.linked_lead_id IS NULL AND (
        (p.workspace_id, p.provider, p.provider_appointment_id) IN (SELECT workspace_id, provider, provider_appointment_id FROM jsonb_to_recordset(${apptKeys}::jsonb) AS x(workspace_id text, provider text, provider_appointment_id text))
        OR EXISTS (SELECT 1 FROM ${t('lead_identities')} i WHERE ${matches}
          AND (i.workspace_id, i.lead_id) IN (SELECT workspace_id, lead_id FROM jsonb_to_recordset(${leadKeys}::jsonb) AS y(workspace_id text, lead_id text))))),
    candidates AS (
      SELECT p.workspace_id, p.provider, p.provider_appointment_id, i.lead_id,
        CASE WHEN i.email_hash = p.invitee_email_hash THEN 0 WHEN p.invitee_email_hash = ANY(i.alternate_email_hashes) THEN 1
             WHEN i.ghl_contact_id = p.ghl_contact_id THEN 2 WHEN i.lead_id = ANY(p.utm_lead_ids) THEN 3 ELSE 4 END AS rank
      FROM affected p JOIN ${t('lead_identities')} i ON ${matches}),
    best AS (
      SELECT *, min(rank) OVER (PARTITION BY workspace_id, provider, provider_appointment_id) AS best_rank FROM candidates)
    SELECT workspace_id, provider, provider_appointment_id, min(lead_id) AS lead_id,
      CASE min(rank) WHEN 0 THEN 'email' WHEN 1 THEN 'alternate_email' WHEN 2 THEN 'ghl_contact' WHEN 3 THEN 'utm' ELSE 'event_guest' END AS matched_by
    FROM best WHERE rank = best_rank
    GROUP BY workspace_id, provider, provider_appointment_id
    HAVING count(DISTINCT lead_id) = 1`.execute(trx);
  if (found.rows.length === 0) return [];
  const requests = found.rows.map((r) => ({
    id: linkRequestId(r.workspace_id, r.provider, r.provider_appointment_id, r.lead_id),
    workspace_id: r.workspace_id,
    lead_id: r.lead_id,
    provider: r.provider,
    provider_appointment_id: r.provider_appointment_id,
    matched_by: r.matched_by,
  }));
  await sql`
    INSERT INTO projection_link_requests (id, workspace_id, lead_id, provider, provider_appointment_id, matched_by)
    SELECT id, workspace_id, lead_id, provider, provider_appointment_id, matched_by
    FROM jsonb_to_recordset(${JSON.stringify(requests)}::jsonb)
      AS r(id text, workspace_id text, lead_id text, provider text, provider_appointment_id text, matched_by text)
    ON CONFLICT (id) DO NOTHING`.execute(trx);
  return requests.map((r) => ({
    kind: 'link-requested' as const,
    workspaceId: r.workspace_id,
    leadId: r.lead_id,
    provider: r.provider,
    providerAppointmentId: r.provider_appointment_id,
    streamName: appointmentStreamName(r.workspace_id, r.provider as Provider, r.provider_appointment_id),
    matchedBy: r.matched_by,
  }));
}

export const identitiesProjection: Projection = {
  name: 'identities',
  version: 2,
  streamPrefixes: [LEAD_STREAM_PREFIX, APPOINTMENT_STREAM_PREFIX],
  tables: IDENTITY_TABLES,
  ddl: identityTablesDdl,
  replay: identitiesReplay,
  applyBatch,
};

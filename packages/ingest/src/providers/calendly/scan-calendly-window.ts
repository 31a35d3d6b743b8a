/**
 * The Calendly rolling-window scan: Calendly has no "updated since" filter, so the organization's
 * events starting in a window (`min_start_time`/`max_start_time`) are re-read page by page, and
 * every event whose `updated_at` changed since the last scan (or never seen) has its invitees
 * observed. That is how a later cancellation or reschedule of a known booking is seen without a
 * webhook, and how bookings made with another email (identity drift) get recorded, matched by the
 * lead lookup (invitee email, alternates, event guests, utm) or kept unmatched, never dropped.
 * `pageToken` and `onPage` make it resumable: a backfill saves the token after every page.
 */
import { mapCalendlyInvitee, type CalendlyScheduledEvent } from '@recon/domain';
import type { CalendlyClient } from './calendly-client';
import { calendlySeenEventsDb } from './calendly-seen-events';
import { observeCalendlyInvitee } from './observe-calendly-invitee';
import type { ReconcileDeps } from '../../reconcile/reconcile-deps';
import type { WindowScanInput, WindowScanResult } from '../provider-module';

export interface CalendlyWindowScanInput extends WindowScanInput {
  readonly client: CalendlyClient;
}

async function observeEvent(
  deps: ReconcileDeps,
  input: CalendlyWindowScanInput,
  event: CalendlyScheduledEvent,
): Promise<{ ok: true; appended: number } | { ok: false; code: string }> {
  const invitees = await input.client.listEventInvitees(event.uri);
  if (!invitees.ok) return { ok: false, code: invitees.code };
  let appended = 0;
  for (const invitee of invitees.value) {
    const mapped = mapCalendlyInvitee(event, invitee, {
      workspaceId: input.workspaceId,
      source: input.source,
      observedAt: deps.clock().toISOString(),
    });
    if (!mapped.ok) continue;
    const r = await observeCalendlyInvitee(deps, input.workspaceId, mapped.value);
    if (!r.ok) return r;
    appended += r.appended;
  }
  return { ok: true, appended };
}

export async function scanCalendlyWindow(
  deps: ReconcileDeps,
  input: CalendlyWindowScanInput,
): Promise<WindowScanResult> {
  const db = calendlySeenEventsDb(deps.db);
  let token = input.pageToken ?? null;
  let eventsAppended = 0;
  let scannedEvents = 0;
  for (;;) {
    if (input.shouldStop?.()) return { ok: true, eventsAppended, scannedEvents, complete: false, nextPageToken: token };
    const page = await input.client.listScheduledEventsPage(
      { minStartTime: input.minStartTime, maxStartTime: input.maxStartTime },
      token,
    );
    if (!page.ok) return { ok: false, code: page.code, eventsAppended };
    const uris = page.value.items.map((e) => e.uri);
    const seenRows =
      uris.length === 0
        ? []
        : await db
            .selectFrom('calendly_seen_events')
            .select(['event_uri', 'updated_at'])
            .where('workspace_id', '=', input.workspaceId)
            .where('event_uri', 'in', uris)
            .execute();
    const seen = new Map(seenRows.map((r) => [r.event_uri, r.updated_at]));
    for (const event of page.value.items) {
      scannedEvents++;
      const version = event.updated_at ?? null;
      if (version !== null && seen.get(event.uri) === version) continue;
      const r = await observeEvent(deps, input, event);
      if (!r.ok) return { ok: false, code: r.code, eventsAppended };
      eventsAppended += r.appended;
      await db
        .insertInto('calendly_seen_events')
        .values({ workspace_id: input.workspaceId, event_uri: event.uri, updated_at: version ?? '' })
        .onConflict((oc) => oc.columns(['workspace_id', 'event_uri']).doUpdateSet({ updated_at: version ?? '' }))
        .execute();
    }
    token = page.value.nextPageToken;
    const stop = await input.onPage?.({ nextPageToken: token, eventsAppended, scannedEvents });
    if (token === null) return { ok: true, eventsAppended, scannedEvents, complete: true, nextPageToken: null };
    if (stop === true) return { ok: true, eventsAppended, scannedEvents, complete: false, nextPageToken: token };
  }
}

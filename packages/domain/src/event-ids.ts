/**
 * Deterministic event ids (UUIDv5). The same fact decided twice (a webhook retry, a poller run
 * racing a webhook, a re-run backfill) gets the same id, so the event store can drop the copy.
 *
 * Appointment events: workspace, provider, appointment id, event type and the provider's version
 * of the fact (providerUpdatedAt, else the times and the type-specific facts). The time recon
 * observed the fact (observedAt) is deliberately left out: two deliveries of one fact differ there.
 * Lead events: workspace, lead, event type and the content the CRM or a check supplied.
 *
 * Without providerUpdatedAt, a fact that flips back to an earlier value with the same times
 * (booked, canceled, booked again) would get the id of its first occurrence; passing the stream
 * revision the decision was made against tells them apart.
 */
import { v5 as uuidv5 } from 'uuid';
import { isLeadEvent } from './event-kinds';
import { assertNever } from './assert-never';
import type { AppointmentEvent } from './events/appointment-events';
import type { FollowUpTaskKind, LeadEvent } from './events/lead-events';
import type { Provider } from './events/primitives';
import type { ReconEvent } from './events/recon-event';

/** Fixed namespace of every recon id. Never change it: stored ids would stop matching. */
export const RECON_ID_NAMESPACE = '6f1c1d3e-8a8b-4f61-9c4e-2b8f0d6a7c11';

function idOf(parts: readonly (string | number | boolean | null)[]): string {
  return uuidv5(JSON.stringify(parts), RECON_ID_NAMESPACE);
}

function appointmentSpecifics(event: AppointmentEvent): readonly (string | boolean | null)[] {
  switch (event.type) {
    case 'AppointmentBooked':
      return [event.data.rescheduledFrom];
    case 'AppointmentRescheduled':
      return [event.data.previousStartAt, event.data.previousEndAt, event.data.rescheduledTo];
    case 'AppointmentCanceled':
      return [event.data.deleted];
    case 'AppointmentAttended':
    case 'AppointmentNoShowMarked':
    case 'AppointmentNoShowRetracted':
      return [];
    case 'AppointmentLinkedToLead':
      return [event.data.leadId];
    default:
      return assertNever(event, 'appointment event');
  }
}

/**
 * Id of an appointment event, stable across retries of the same provider fact. Pass the stream's
 * revision the decision was made against (`streamRevision`, the state's `version`) where known: it
 * only enters the id when the provider gives no version, and then tells a re-booking with the same
 * times apart from the first booking (retries decide against the same revision, so they still
 * collide as they should).
 */
export function appointmentEventId(event: AppointmentEvent, streamRevision?: number): string {
  const d = event.data;
  const version =
    d.providerUpdatedAt === null ? ['facts', d.startAt, d.endAt, ...(streamRevision === undefined ? [] : [streamRevision])] : ['updated', d.providerUpdatedAt];
  return idOf(['appointment', d.workspaceId, d.provider, d.providerAppointmentId, event.type, ...version, ...appointmentSpecifics(event)]);
}

function leadContent(event: LeadEvent): readonly (string | number | boolean | null)[] {
  switch (event.type) {
    case 'LeadRegistered':
      // A lead registers once: every re-sent registration is the same fact.
      return [];
    case 'LeadContactChanged':
      return [event.data.emailHash, event.data.alternateEmailHashes.join(','), event.data.ghlContactId, event.data.changedAt];
    case 'LeadSentimentClassified':
      return [event.data.label, event.data.classifiedAt];
    case 'LeadInboundActivityRecorded':
      return [event.data.lastInboundAt, event.data.lastMessageDirection];
    case 'LeadProviderChecked': {
      const o = event.data.outcome;
      const detail = o.kind === 'found' ? o.count : o.kind === 'failed' ? o.code : null;
      return [event.data.provider, event.data.checkedAt, o.kind, detail];
    }
    case 'FollowUpTaskResolved':
      return [event.data.taskId, event.data.resolvedAt];
    default:
      return assertNever(event, 'lead event');
  }
}

/** Id of a lead event, stable across re-sent lead feeds and retried checks. */
export function leadEventId(event: LeadEvent): string {
  return idOf(['lead', event.data.workspaceId, event.data.leadId, event.type, ...leadContent(event)]);
}

/** Id of any recon event: what an appender puts in the event store's `id`. */
export function reconEventId(event: ReconEvent, streamRevision?: number): string {
  return isLeadEvent(event) ? leadEventId(event) : appointmentEventId(event, streamRevision);
}

/** Id of a review task: one per (workspace, lead, appointment, kind). */
export function followUpTaskId(ref: {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly provider: Provider;
  readonly providerAppointmentId: string;
  readonly kind: FollowUpTaskKind;
}): string {
  return idOf(['task', ref.workspaceId, ref.leadId, ref.provider, ref.providerAppointmentId, ref.kind]);
}

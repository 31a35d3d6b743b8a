/**
 * `POST /v1/workspaces/:ws/appointments/:appointmentId/attendance` (operator key of the workspace,
 * or admin): the operator's answer to "did this meeting happen?", `{ "attended": true|false }`. The
 * domain decides (`decideRecordAttendance`) and `AppointmentAttended` / `AppointmentNoShowMarked`
 * with `source: 'manual'` is appended to the appointment's stream at its exact revision.
 *
 * `:appointmentId` is `<provider>:<providerAppointmentId>`, percent-encoded as one path segment
 * (`encodeURIComponent`): a Calendly invitee id is a URI. `appointmentPathId` builds it.
 *
 * Idempotent: the answer the stream already holds appends nothing (`alreadyRecorded: true`,
 * `position` null, `source` says who gave it); a different answer appends the change. Refused:
 * 404 APPOINTMENT_NOT_FOUND, 409 MEETING_NOT_ENDED (its end is still ahead), 409 MEETING_NOT_HELD
 * (canceled, replaced by a reschedule, or marked invalid). Provider vs operator: the latest
 * attendance fact wins (packages/domain record-attendance.ts).
 */
import {
  appointmentStateFromEvents,
  appointmentStreamName,
  decideRecordAttendance,
  parseReconEvent,
  withEventIds,
  type AppointmentEvent,
  type Provider,
} from '@recon/domain';
import type { EventStore, Position } from '@recon/eventstore';
import type { SendError } from '@recon/http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { providerNames } from '../providers/registry';
import { errorAnswer } from './error-answer';

const EXAMPLE_ID = 'calendly:https%3A%2F%2Fapi.calendly.com%2Fscheduled_events%2FEV1%2Finvitees%2FINV1';

/** The path id of an appointment: `<provider>:<providerAppointmentId>`, percent-encoded. */
export function appointmentPathId(provider: string, providerAppointmentId: string): string {
  return encodeURIComponent(`${provider}:${providerAppointmentId}`);
}

const Params = z.object({
  ws: z.string().min(1).max(64),
  appointmentId: z
    .string()
    .min(3)
    .max(2_100)
    .meta({ description: '`<provider>:<providerAppointmentId>`, percent-encoded', examples: [EXAMPLE_ID] }),
});

export const AttendanceBody = z
  .strictObject({ attended: z.boolean() })
  .meta({ examples: [{ attended: true }, { attended: false }] });

const AttendanceAnswer = z
  .object({
    provider: z.string(),
    providerAppointmentId: z.string(),
    leadId: z.string().nullable(),
    attended: z.boolean(),
    /** Who gave the answer the appointment now holds: `manual` (an operator) or the provider's channel. */
    source: z.string(),
    recordedAt: z.string(),
    alreadyRecorded: z.boolean(),
    position: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        provider: 'calendly',
        providerAppointmentId: 'https://api.calendly.com/scheduled_events/EV1/invitees/INV1',
        leadId: 'lead-42',
        attended: false,
        source: 'manual',
        recordedAt: '2030-06-18T16:00:00.000Z',
        alreadyRecorded: false,
        position: '812:1046',
      },
    ],
  });

const MESSAGES = {
  APPOINTMENT_NOT_FOUND: 'No such booking in this workspace',
  MEETING_NOT_ENDED: 'The meeting has not ended yet',
  MEETING_NOT_HELD: 'The meeting was canceled, replaced by a reschedule or marked invalid',
} as const;

/** `<provider>:<id>` → its parts; null when the provider is not one recon knows. */
function parseAppointmentId(raw: string): { provider: Provider; providerAppointmentId: string } | null {
  const colon = raw.indexOf(':');
  if (colon <= 0) return null;
  const provider = raw.slice(0, colon);
  const providerAppointmentId = raw.slice(colon + 1);
  if (!(providerNames as readonly string[]).includes(provider) || providerAppointmentId.length === 0) return null;
  return { provider: provider as Provider, providerAppointmentId };
}

type Recorded =
  | {
      readonly ok: true;
      readonly leadId: string | null;
      readonly source: string;
      readonly recordedAt: string;
      readonly position: Position | null;
    }
  | { readonly ok: false; readonly code: keyof typeof MESSAGES | 'CONCURRENCY_CONFLICT' };

async function recordAttendance(store: EventStore, stream: string, attended: boolean, now: Date): Promise<Recorded> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const recorded = await store.readStream(stream);
    const events: AppointmentEvent[] = [];
    for (const e of recorded) {
      const parsed = parseReconEvent(e.type, e.data);
      if (parsed.ok && parsed.value.type.startsWith('Appointment')) events.push(parsed.value as AppointmentEvent);
    }
    const state = appointmentStateFromEvents(events);
    const recordedAt = now.toISOString();
    const decision = decideRecordAttendance({ type: 'RecordAttendance', attended, recordedAt }, state);
    if (!decision.ok) return decision;
    const last = recorded[recorded.length - 1];
    if (state.status === 'absent' || last === undefined) return { ok: false, code: 'APPOINTMENT_NOT_FOUND' };
    if (decision.value.length === 0) {
      const heldSince = [...events]
        .reverse()
        .find((e) => e.type === 'AppointmentAttended' || e.type === 'AppointmentNoShowMarked');
      return {
        ok: true,
        leadId: state.leadId,
        source: state.attendanceSource ?? heldSince?.data.source ?? 'manual',
        recordedAt: heldSince?.data.observedAt ?? recordedAt,
        position: null,
      };
    }
    const toAppend = withEventIds(stream, last.revision, decision.value).map(({ id, event }) => ({
      id,
      type: event.type,
      data: event.data as Record<string, unknown>,
    }));
    const result = await store.append(stream, toAppend, { expectedRevision: last.revision });
    if (result.ok) return { ok: true, leadId: state.leadId, source: 'manual', recordedAt, position: result.position };
  }
  return { ok: false, code: 'CONCURRENCY_CONFLICT' };
}

export function attendanceRoute(deps: {
  readonly store: EventStore;
  readonly clock: () => Date;
  readonly sendError: SendError;
}): FastifyPluginAsync {
  return async (app) => {
    app.post(
      '/v1/workspaces/:ws/appointments/:appointmentId/attendance',
      {
        schema: {
          summary: "Record the operator's answer whether an ended meeting took place (source manual); idempotent",
          description:
            '`:appointmentId` is `<provider>:<providerAppointmentId>` percent-encoded as one segment. 200 with the ' +
            'answer the appointment now holds; `alreadyRecorded` true and `position` null when it already held it ' +
            "(nothing appended); `position` is the appended event's global position (also `x-recon-position`) for " +
            '`?minPosition=` reads. A later provider attendance report overrides the answer (latest fact wins). ' +
            '404 APPOINTMENT_NOT_FOUND, 409 MEETING_NOT_ENDED or MEETING_NOT_HELD.',
          params: Params,
          body: AttendanceBody,
          response: {
            200: AttendanceAnswer,
            404: errorAnswer('APPOINTMENT_NOT_FOUND', MESSAGES.APPOINTMENT_NOT_FOUND),
            409: errorAnswer('MEETING_NOT_ENDED', MESSAGES.MEETING_NOT_ENDED),
          },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws, appointmentId } = request.params as z.infer<typeof Params>;
        const { attended } = request.body as z.infer<typeof AttendanceBody>;
        const id = parseAppointmentId(appointmentId);
        if (id === null) return deps.sendError(reply, 'APPOINTMENT_NOT_FOUND', MESSAGES.APPOINTMENT_NOT_FOUND);
        const stream = appointmentStreamName(ws, id.provider, id.providerAppointmentId);
        // Store failures throw an EventStoreError: the app's error handler answers 503 with Retry-After.
        const outcome = await recordAttendance(deps.store, stream, attended, deps.clock());
        if (!outcome.ok)
          return deps.sendError(
            reply,
            outcome.code,
            outcome.code === 'CONCURRENCY_CONFLICT' ? 'The booking kept changing; retry' : MESSAGES[outcome.code],
          );
        request.log.info({ appended: outcome.position !== null }, 'attendance recorded by operator');
        if (outcome.position !== null) reply.header('x-recon-position', outcome.position);
        return reply.send({
          provider: id.provider,
          providerAppointmentId: id.providerAppointmentId,
          leadId: outcome.leadId,
          attended,
          source: outcome.source,
          recordedAt: outcome.recordedAt,
          alreadyRecorded: outcome.position === null,
          position: outcome.position,
        });
      },
    );
  };
}

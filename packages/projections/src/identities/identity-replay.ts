/**
 * The identities projection's in-memory replay for rebuilds: the same rows `applyBatch` leaves
 * (a rebuild requests no links), folded once over the whole log and loaded at the end. An erased
 * lead's row is gone; its linked bookings' rows already hold no match keys (linked rows never do).
 */
import type { AppointmentEvent } from '@recon/domain';
import type { MemoryReplay, TableRows } from '../runtime/projection';
import { IDENTITY_COLUMNS, identityRow, KEY_COLUMNS, nextKeyRow, type Row } from './identity-rows';

const k = (...parts: string[]) => parts.join('\u0000');

export function identitiesReplay(): MemoryReplay {
  const identities = new Map<string, Row>();
  const keys = new Map<string, Row>();
  return {
    apply(events) {
      for (const { recorded, event } of events) {
        const p = recorded.position;
        if (event.type === 'LeadRegistered' || event.type === 'LeadContactChanged') {
          identities.set(k(event.data.workspaceId, event.data.leadId), identityRow(event, p));
        } else if (event.type === 'LeadContactErased') {
          identities.delete(k(event.data.workspaceId, event.data.leadId));
        } else if (event.type.startsWith('Appointment')) {
          const d = (event as AppointmentEvent).data;
          const key = k(d.workspaceId, d.provider, d.providerAppointmentId);
          keys.set(key, nextKeyRow(keys.get(key), event as AppointmentEvent, p));
        }
      }
    },
    takeFinalRows: () => [],
    finalRows(): TableRows[] {
      return [
        {
          table: 'lead_identities',
          columns: IDENTITY_COLUMNS,
          arrays: ['alternate_email_hashes'],
          rows: identities.values(),
        },
        {
          table: 'unmatched_appointment_keys',
          columns: KEY_COLUMNS,
          arrays: ['guest_email_hashes', 'utm_lead_ids'],
          rows: keys.values(),
        },
      ];
    },
  };
}

/**
 * The identities projection's in-memory replay for rebuilds: the same rows `applyBatch` leaves
 * (a rebuild requests no links), folded once over the whole log and loaded at the end. An erased
 * lead's row is gone; its linked bookings' rows already hold no match keys (linked rows never do).
 */
import type { AppointmentEvent } from '@recon/domain';
import { ColdMap } from '../runtime/cold-map';
import type { MemoryReplay, ReplayContext, TableRows } from '../runtime/projection';
import { DELIVERY_FACT_COLUMNS, deliveryFactRow, type DeliveryFactRow } from '../deliveries/delivery-facts';
import { IDENTITY_COLUMNS, identityRow, KEY_COLUMNS, nextKeyRow, type Row } from './identity-rows';

const k = (...parts: string[]) => parts.join('\u0000');

export function identitiesReplay(ctx: ReplayContext): MemoryReplay {
  // Rows kept as objects; the rest as JSON text (see ColdMap).
  const identities = new ColdMap<Row>(ctx.hotRows ?? 10_000);
  const keys = new ColdMap<Row>(ctx.hotRows ?? 20_000);
  /** Append-only delivery facts, handed over after each page (see takeFinalRows). */
  let facts: DeliveryFactRow[] = [];
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
          const fact = deliveryFactRow(recorded, event);
          if (fact !== null) facts.push(fact);
          const key = k(d.workspaceId, d.provider, d.providerAppointmentId);
          keys.set(key, nextKeyRow(keys.get(key), event as AppointmentEvent, p));
        }
      }
    },
    takeFinalRows(): TableRows[] {
      if (facts.length === 0) return [];
      const rows = facts;
      facts = [];
      return [{ table: 'delivery_facts', columns: DELIVERY_FACT_COLUMNS, rows }];
    },
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

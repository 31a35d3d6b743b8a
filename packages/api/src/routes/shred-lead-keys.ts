/**
 * The crypto-shredding half of an erasure (docs/security.md, "Erasure"): destroys the keys that
 * sealed what the events say about the person — the lead's own stream, and the bookings that
 * sealed a hash of their email (linked to the lead, or unmatched with one of its hashes). Runs
 * before `LeadContactErased` is appended, while the lead's identity row still names its hashes; a
 * failure before the event leaves the erasure to be retried whole.
 */
import { appointmentStreamName, isProvider, leadStreamName } from '@recon/domain';
import { findErasureTargets, type ProjectionsDatabase } from '@recon/projections';
import type { Kysely } from 'kysely';
import type { AppServices } from '../app-services';

export async function shredLeadKeys(
  services: Pick<AppServices, 'db' | 'streamKeys'>,
  lead: { readonly workspaceId: string; readonly leadId: string },
): Promise<{ readonly keysDestroyed: number; readonly bookings: number }> {
  const targets = await findErasureTargets(services.db as unknown as Kysely<ProjectionsDatabase>, lead);
  const bookingStreams = targets.flatMap((t) =>
    isProvider(t.provider) ? [appointmentStreamName(lead.workspaceId, t.provider, t.providerAppointmentId)] : [],
  );
  const keysDestroyed = await services.streamKeys.destroy([
    leadStreamName(lead.workspaceId, lead.leadId),
    ...bookingStreams,
  ]);
  return { keysDestroyed, bookings: bookingStreams.length };
}

/**
 * Match keys an unmatched booking carries so it can be linked when its lead shows up later.
 * The domain's appointment events do not define them yet: ingest adds an optional `matchKeys`
 * object to `AppointmentBooked.data` (hashes and ids only, never an email). Read from the raw
 * stored payload, validated here; absent or malformed keys mean "cannot be matched later".
 */
import { EmailHash, LeadId } from '@recon/domain';
import { z } from 'zod';

export const AppointmentMatchKeys = z.object({
  inviteeEmailHash: EmailHash.nullable().default(null),
  guestEmailHashes: z.array(EmailHash).max(50).default([]),
  ghlContactId: z.string().min(1).max(100).nullable().default(null),
  utmLeadIds: z.array(LeadId).max(10).default([]),
});
export type AppointmentMatchKeys = z.infer<typeof AppointmentMatchKeys>;

export function readMatchKeys(rawData: Record<string, unknown>): AppointmentMatchKeys | null {
  const raw = rawData['matchKeys'];
  if (raw === undefined || raw === null) return null;
  const parsed = AppointmentMatchKeys.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

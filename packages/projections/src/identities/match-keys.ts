/**
 * Match keys an unmatched booking carries so it can be linked when its lead shows up later:
 * the optional `matchKeys` of `AppointmentBooked` data (hashes and ids only, never an email),
 * declared and validated by the domain's event schema. Absent or malformed keys (the schema
 * reads those as absent) mean "cannot be matched later". UTM lead ids count only when ingest
 * verified them as signed booking tokens (`utmLeadIdsVerified`): an older booking's ids were
 * whatever the booker put in `utm_content`.
 */
import { AppointmentMatchKeys, type AppointmentBooked } from '@recon/domain';

export { AppointmentMatchKeys };

export function readMatchKeys(data: AppointmentBooked['data']): AppointmentMatchKeys | null {
  const keys = data.matchKeys;
  if (keys === undefined) return null;
  return keys.utmLeadIdsVerified ? keys : { ...keys, utmLeadIds: [] };
}

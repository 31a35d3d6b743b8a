/**
 * Match keys an unmatched booking carries so it can be linked when its lead shows up later:
 * the optional `matchKeys` of `AppointmentBooked` data (hashes and ids only, never an email),
 * declared and validated by the domain's event schema. Absent or malformed keys (the schema
 * reads those as absent) mean "cannot be matched later".
 */
import { AppointmentMatchKeys, type AppointmentBooked } from '@recon/domain';

export { AppointmentMatchKeys };

export function readMatchKeys(data: AppointmentBooked['data']): AppointmentMatchKeys | null {
  return data.matchKeys ?? null;
}

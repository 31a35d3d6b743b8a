/** The Cal.com API v2 simulator. */
export {
  CalcomSimulator,
  CALCOM_API_VERSION,
  calcomRateLimitHeaders,
  type CalcomSimulatorOptions,
  type CalcomSimBookingInput,
} from './calcom-simulator';
export type { CalcomSimBooking, CalcomSimAttendee, CalcomSimStatus } from './calcom-sim-resources';

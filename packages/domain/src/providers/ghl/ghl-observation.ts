/** What GHL mapping yields beside the observation: its failure codes and the hints to match a lead by. */
export type GhlFailureCode =
  | 'GHL_PAYLOAD_INVALID'
  | 'GHL_LOCATION_MISSING'
  | 'GHL_STATUS_UNKNOWN'
  | 'GHL_TIMEZONE_INVALID'
  | 'GHL_TIME_INVALID';

export interface GhlMatchHints {
  readonly provider: 'ghl';
  readonly contactId: string | null;
  readonly locationId: string | null;
}

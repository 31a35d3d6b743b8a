/**
 * Stream names. One stream per lead and one per provider appointment, scoped by workspace so two
 * workspaces that see the same provider account never write to each other's streams.
 *
 *   lead-<workspaceId>-<encoded leadId>
 *   appointment-<provider>-<workspaceId>-<encoded appointment key>
 *
 * Ids are percent-encoded (encodeURIComponent, plus '-' → '%2D' and '.' → '%2E') so the
 * separators stay unambiguous for any unicode id. Calendly appointments are keyed by the invitee
 * UUID (the last path segment of the invitee URI), which is unique and short; any other URI shape
 * falls back to the encoded full URI.
 */
import type { Provider } from './events/primitives';

export const LEAD_STREAM_PREFIX = 'lead-';
export const APPOINTMENT_STREAM_PREFIX = 'appointment-';
/** `workspace-<workspaceId>`: the workspace's own facts (its rules). */
export const WORKSPACE_STREAM_PREFIX = 'workspace-';

export function encodeStreamPart(value: string): string {
  return encodeURIComponent(value).replace(/-/g, '%2D').replace(/\./g, '%2E');
}

export function leadStreamName(workspaceId: string, leadId: string): string {
  return `${LEAD_STREAM_PREFIX}${encodeStreamPart(workspaceId)}-${encodeStreamPart(leadId)}`;
}

export function workspaceStreamName(workspaceId: string): string {
  return `${WORKSPACE_STREAM_PREFIX}${encodeStreamPart(workspaceId)}`;
}

const CALENDLY_INVITEE_URI = /^https:\/\/api\.calendly\.com\/scheduled_events\/[^/]+\/invitees\/([A-Za-z0-9-]+)$/;

/** The short key of a provider appointment id used in its stream name. */
export function appointmentKey(provider: Provider, providerAppointmentId: string): string {
  if (provider === 'calendly') {
    const match = CALENDLY_INVITEE_URI.exec(providerAppointmentId);
    if (match?.[1]) return match[1];
  }
  return providerAppointmentId;
}

export function appointmentStreamName(workspaceId: string, provider: Provider, providerAppointmentId: string): string {
  return `${APPOINTMENT_STREAM_PREFIX}${provider}-${encodeStreamPart(workspaceId)}-${encodeStreamPart(appointmentKey(provider, providerAppointmentId))}`;
}

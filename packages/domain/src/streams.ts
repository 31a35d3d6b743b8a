/**
 * Stream names. One stream per lead and one per provider appointment, scoped by workspace so two
 * workspaces that see the same provider account never write to each other's streams.
 *
 *   lead-<workspaceId>-<encoded leadId>
 *   appointment-<provider>-<workspaceId>-<encoded appointment key>
 *
 * Ids are percent-encoded (encodeURIComponent, plus '-' → '%2D' and '.' → '%2E') so the
 * separators stay unambiguous for any unicode id. The appointment key is the provider's choice
 * (`DomainProvider.appointmentKey`): Calendly's is the invitee UUID, unique and short.
 */
import type { Provider } from './events/primitives';
import { domainProvider } from './providers/provider-registry';

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

/** The short key of a provider appointment id used in its stream name. */
export function appointmentKey(provider: Provider, providerAppointmentId: string): string {
  return domainProvider(provider).appointmentKey(providerAppointmentId);
}

export function appointmentStreamName(workspaceId: string, provider: Provider, providerAppointmentId: string): string {
  return `${APPOINTMENT_STREAM_PREFIX}${provider}-${encodeStreamPart(workspaceId)}-${encodeStreamPart(appointmentKey(provider, providerAppointmentId))}`;
}

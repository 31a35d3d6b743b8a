/** Shared zod building blocks for event payloads. No PII type exists here on purpose. */
import { z } from 'zod';

/** ISO-8601 UTC instant, e.g. 2030-06-18T15:00:00.000Z. */
export const Instant = z.iso.datetime({ offset: false });
export type Instant = z.infer<typeof Instant>;

/** Declared once with the provider registry; re-exported here beside the other event primitives. */
export { Provider } from '../providers/provider-name';

export const ObservationSource = z.enum(['webhook', 'poller', 'backfill', 'manual']);
export type ObservationSource = z.infer<typeof ObservationSource>;

/** Keyed hash (HMAC-SHA256, hex) of a normalized email. Never the email itself. */
export const EmailHash = z.string().regex(/^[0-9a-f]{64}$/, 'EMAIL_HASH_INVALID');
export type EmailHash = z.infer<typeof EmailHash>;

export const WorkspaceId = z.string().min(1).max(64);
/** The CRM's own lead id: opaque, may hold any unicode. */
export const LeadId = z.string().min(1).max(200);

export const MessageDirection = z.enum(['inbound', 'outbound']);
export type MessageDirection = z.infer<typeof MessageDirection>;

/** What the webhook plugins need; provided by the API's buildApp. */
import type { EventStore } from '@recon/eventstore';
import type { EmailHasher, SecretBox, WorkspacesDatabase } from '@recon/workspaces';
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { LeadLookup } from './lead-lookup';

/** Writes the API's uniform error body; the code → status map lives in the API. */
export type WebhookSendError = (reply: FastifyReply, code: string, message: string, details?: readonly { path: string; code: string }[]) => FastifyReply;

export interface WebhookDeps {
  readonly db: Kysely<WorkspacesDatabase>;
  readonly store: EventStore;
  readonly secretBox: SecretBox;
  readonly hashEmail: EmailHasher;
  readonly leadLookup: LeadLookup;
  readonly clock: () => Date;
  readonly sendError: WebhookSendError;
  /** Calendly signature tolerance in seconds (default 180). */
  readonly calendlyToleranceSeconds?: number;
  /** Body limit of webhook routes in bytes (default 256 KiB). */
  readonly bodyLimit?: number;
  /** How long decrypted credentials are cached per workspace, ms (default 5 000; 0 disables). */
  readonly credentialsTtlMs?: number;
}

/** The route parameters and answers shared by the webhook routes. */
import { z } from 'zod';

/** Workspace ids recon issues (`ws_<hex>`); others cannot exist and are not looked up. */
export const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const WebhookParams = z.object({ ws: z.string().min(1).max(64) });

export const WebhookAnswer = z.object({
  /** accepted: events appended; duplicate: already reflected (nothing appended); ignored: not an event recon handles. */
  status: z.enum(['accepted', 'duplicate', 'ignored']),
  events: z.number().int(),
  matched: z.boolean(),
  position: z.string().nullable(),
});
export type WebhookAnswer = z.infer<typeof WebhookAnswer>;

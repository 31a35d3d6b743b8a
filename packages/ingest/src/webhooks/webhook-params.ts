/** The route parameters and answers shared by the webhook routes. */
import { z } from 'zod';

/** Workspace ids recon issues (`ws_<hex>`); others cannot exist and are not looked up. */
export const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const WebhookParams = z.object({ ws: z.string().min(1).max(64) });

export const WebhookAnswer = z.object({
  /**
   * accepted: the delivery's events are durably stored (a repeated creation webhook may also say
   * accepted: the store recognises its identical event ids and stores nothing twice);
   * duplicate: the stream already reflected it, nothing appended; ignored: not an event recon handles.
   */
  status: z.enum(['accepted', 'duplicate', 'ignored']),
  events: z.number().int(),
  matched: z.boolean(),
  position: z.string().nullable(),
});
export type WebhookAnswer = z.infer<typeof WebhookAnswer>;

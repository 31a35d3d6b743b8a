/**
 * The lead feed's input shapes (HTTP bodies of PUT lead, batch items, messages). PII fields
 * (email, alternateEmails, name) are accepted here and go only to the contact table; events get
 * keyed hashes.
 */
import { z } from 'zod';

/** Lead ids are the CRM's: any unicode, but no control characters, ≤ 200 characters. */
export const LeadIdParam = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => !hasControlCharacter(id), 'LEAD_ID_INVALID');

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

const Email = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'EMAIL_INVALID');

/** ISO-8601 with offset; stored as UTC `…Z`. */
export const InstantInput = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

export const LeadInput = z.strictObject({
  email: Email.nullable().optional(),
  alternateEmails: z.array(Email).max(20).optional(),
  ghlContactId: z.string().min(1).max(100).nullable().optional(),
  name: z.string().max(300).nullable().optional(),
  sentiment: z.strictObject({ label: z.string().trim().min(1).max(100), classifiedAt: InstantInput }).optional(),
});
export type LeadInput = z.infer<typeof LeadInput>;

export const BatchLeadItem = LeadInput.extend({ leadId: LeadIdParam });
export type BatchLeadItem = z.infer<typeof BatchLeadItem>;

export const MAX_BATCH_LEADS = 1000;

export const MessageInput = z.strictObject({
  direction: z.enum(['inbound', 'outbound']),
  at: InstantInput,
});
export type MessageInput = z.infer<typeof MessageInput>;

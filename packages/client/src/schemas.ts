/**
 * The API's contract as the client sees it. Request bodies and read answers are the API's own zod
 * schemas (`@recon/api/schemas`: the read routes; `@recon/ingest/schemas`: the lead feed's
 * bodies); nothing is copied. The few answers the API declares inline in a route file (the lead
 * writes, check-now, `/v1/me`) are re-declared here with the fields a client needs; a live test
 * (`recon-client.e2e.test.ts`) pins them to real answers.
 */
import {
  GateResult,
  GatesResult,
  Lead,
  MismatchPage,
  ResolveResult,
  TaskPage,
  type MISMATCH_KIND_VALUES,
  type TASK_KIND_VALUES,
} from '@recon/api/schemas';
import { BatchLeadItem, LeadInput, MAX_BATCH_LEADS } from '@recon/ingest/schemas';
import { z } from 'zod';

export { GateResult, GatesResult, Lead, MismatchPage, ResolveResult, TaskPage, LeadInput, BatchLeadItem };
export { MAX_BATCH_LEADS };

/** Most leads one `gates:query` takes (GatesQueryBody's max). */
export const MAX_GATE_QUERY_LEADS = 1000;

const Position = z.string().nullable();

/** `PUT /v1/workspaces/:ws/leads/:leadId` (200 updated/unchanged, 201 created). */
export const PutLeadResult = z.object({
  leadId: z.string(),
  status: z.enum(['created', 'updated', 'unchanged']),
  position: Position,
  bookingToken: z.string(),
});

export const BatchItemWritten = z.object({
  index: z.number(),
  leadId: z.string(),
  status: z.enum(['created', 'updated', 'unchanged']),
  position: Position,
  bookingToken: z.string(),
});
export const BatchItemInvalid = z.object({
  index: z.number(),
  leadId: z.string().nullable(),
  status: z.literal('invalid'),
  code: z.string(),
  details: z.array(z.object({ path: z.string(), code: z.string() })),
});
/** `POST /v1/workspaces/:ws/leads:batch`: one result per item, in order. */
export const BatchResult = z.object({
  results: z.array(z.union([BatchItemWritten, BatchItemInvalid])),
  position: Position,
});

/** `POST /v1/workspaces/:ws/leads/:leadId/check`: the lead's state after checking its providers now. */
export const CheckResult = z.object({
  leadId: z.string(),
  state: z.string(),
  assumed: z.boolean(),
  effective: z.object({ booked: z.boolean(), basis: z.string(), autoCorrected: z.boolean() }),
  checks: z.array(z.object({ provider: z.string(), outcome: z.unknown() })),
  eventsAppended: z.number(),
  position: Position,
});

/** `GET /v1/me`: who the Bearer credential is (the client asks it only when no workspaceId is given). */
export const Me = z.object({ kind: z.string(), workspaceId: z.string().optional() });

export type LeadInputBody = z.input<typeof LeadInput>;
export type BatchLeadInput = z.input<typeof BatchLeadItem>;
export type PutLeadResult = z.output<typeof PutLeadResult>;
export type BatchResult = z.output<typeof BatchResult>;
export type BatchItemResult = BatchResult['results'][number];
export type CheckResult = z.output<typeof CheckResult>;
export type Lead = z.output<typeof Lead>;
export type GateResult = z.output<typeof GateResult>;
export type GateItem = z.output<typeof GatesResult>['items'][number];
export type MismatchPage = z.output<typeof MismatchPage>;
export type MismatchItem = MismatchPage['items'][number];
export type MismatchKind = (typeof MISMATCH_KIND_VALUES)[number];
export type TaskPage = z.output<typeof TaskPage>;
export type TaskItem = TaskPage['items'][number];
export type TaskKind = (typeof TASK_KIND_VALUES)[number];
export type ResolveResult = z.output<typeof ResolveResult>;

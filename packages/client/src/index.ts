/**
 * @recon/client: a typed client for recon's HTTP API (see the README, "Integrating a CRM").
 * Built from the API's own zod schemas; retries 503/429 honouring Retry-After; errors typed by code.
 */
export {
  createReconClient,
  type ReconClient,
  type ReconClientOptions,
  type CallOptions,
  type ReadOptions,
  type PageOptions,
  type MismatchesOptions,
  type TasksOptions,
} from './create-recon-client';
export {
  ReconError,
  isReconError,
  CLIENT_ERROR_CODES,
  type ClientErrorCode,
  type ReconErrorCode,
  type ReconErrorDetail,
} from './recon-error';
export type { RetryOptions } from './retry-policy';
export type { RetryEvent } from './send-request';
export {
  MAX_BATCH_LEADS,
  MAX_GATE_QUERY_LEADS,
  type BatchItemResult,
  type BatchLeadInput,
  type BatchResult,
  type CheckResult,
  type GateItem,
  type GateResult,
  type Lead,
  type LeadInputBody,
  type MismatchItem,
  type MismatchKind,
  type MismatchPage,
  type PutLeadResult,
  type ResolveResult,
  type TaskItem,
  type TaskKind,
  type TaskPage,
} from './schemas';

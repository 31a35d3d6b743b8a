/** The outcome of ingesting one verified webhook delivery, before it becomes an HTTP answer. */
import type { StoreFailureCode } from '../handle-command';
import type { WebhookAnswer } from './webhook-params';

export type IngestFailureCode =
  | 'MALFORMED_JSON'
  | 'PROVIDER_PAYLOAD_INVALID'
  | 'CALENDLY_PAYLOAD_INVALID'
  | 'GHL_PAYLOAD_INVALID'
  | 'GHL_STATUS_UNKNOWN'
  | 'GHL_TIME_INVALID'
  | 'GHL_TIMEZONE_INVALID'
  | 'GHL_LOCATION_MISMATCH'
  | 'GHL_LOCATION_MISSING'
  | StoreFailureCode
  | 'CONCURRENCY_CONFLICT';

export type IngestResult =
  | { readonly ok: true; readonly answer: WebhookAnswer }
  | { readonly ok: false; readonly code: IngestFailureCode; readonly issues?: readonly string[] };

/** `path: code` issue strings (from the domain's parsers) → error details. */
export function issuesToDetails(issues: readonly string[] | undefined): { path: string; code: string }[] {
  return (issues ?? []).slice(0, 20).map((issue) => {
    const at = issue.lastIndexOf(': ');
    return at < 0 ? { path: '', code: issue } : { path: issue.slice(0, at), code: issue.slice(at + 2) };
  });
}

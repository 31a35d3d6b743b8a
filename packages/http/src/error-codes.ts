/**
 * The one map from error codes to HTTP statuses, and the union of every code an HTTP answer may
 * carry. Packages below the HTTP surface return coded values; only here do codes become statuses.
 * `sendError` takes an `ErrorCode`, so a route cannot answer a code missing from this table.
 * Every code has a row in docs/errors.md (a test checks).
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  BATCH_TOO_LARGE: 400,
  LEAD_ID_INVALID: 400,
  CURSOR_INVALID: 400,
  POSITION_INVALID: 400,
  BACKFILL_RANGE_INVALID: 400,
  BACKFILL_RANGE_TOO_LONG: 400,
  UNAUTHORIZED: 401,
  WEBHOOK_SIGNATURE_MISSING: 401,
  WEBHOOK_SIGNATURE_INVALID: 401,
  WEBHOOK_SIGNATURE_STALE: 401,
  GHL_LEGACY_SIGNATURE_DISABLED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  WORKSPACE_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  PROVIDER_NOT_CONFIGURED: 404,
  LEAD_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  BACKFILL_NOT_FOUND: 404,
  NOTIFICATION_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONCURRENCY_CONFLICT: 409,
  STALE_READ: 409,
  BACKFILL_RUNNING: 409,
  BODY_TOO_LARGE: 413,
  EVENT_STORE_APPEND_TOO_LARGE: 413,
  EVENT_STORE_STREAM_DELETED: 410,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PROVIDER_PAYLOAD_INVALID: 422,
  CALENDLY_PAYLOAD_INVALID: 422,
  GHL_PAYLOAD_INVALID: 422,
  GHL_STATUS_UNKNOWN: 422,
  GHL_TIME_INVALID: 422,
  GHL_TIMEZONE_INVALID: 422,
  GHL_LOCATION_MISMATCH: 422,
  GHL_LOCATION_MISSING: 422,
  WEBHOOK_RETRY_LATER: 429,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  SECRET_UNREADABLE: 500,
  EVENT_STORE_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  READ_MODEL_REBUILDING: 503,
  EVENT_STORE_ACCESS_DENIED: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}

/** Status for a code; unknown codes are a bug and answer 500. */
export function statusOf(code: string): number {
  return isErrorCode(code) ? ERROR_STATUS[code] : 500;
}

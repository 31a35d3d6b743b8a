/**
 * @recon/http: recon's HTTP error contract, shared by every package that serves routes (api,
 * ingest, notifications). The error-code union and its code → status table, the uniform error body
 * and the one `sendError`. It holds no routes and no server.
 */
export { ERROR_STATUS, statusOf, isErrorCode, type ErrorCode } from './error-codes';
export {
  sendError,
  errorBody,
  RETRY_AFTER_SECONDS,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
  type SendError,
  type ErrorBody,
  type ErrorDetail,
} from './send-error';
export type { RouteAuth } from './route-config';

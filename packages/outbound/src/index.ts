/** @recon/outbound: outbound HTTP that cannot be pointed inward (SSRF rules), bounded in size and time. */
export { isBlockedAddress, embeddedIpv4 } from './blocked-addresses';
export {
  checkOutboundUrl,
  type OutboundPolicy,
  type OutboundUrlCheck,
  type OutboundUrlCode,
} from './outbound-url';
export { OutboundRefused, outboundRefusalCode, type OutboundRefusalCode } from './outbound-error';
export { outboundFailureDetail } from './failure-detail';
export {
  createGuardedFetch,
  guardedLookup,
  DEFAULT_MAX_RESPONSE_BYTES,
  type GuardedFetch,
  type GuardedFetchOptions,
  type Lookup,
} from './guarded-fetch';

/**
 * The fetch every provider client calls through (unless a test injects its own): @recon/outbound's
 * guarded fetch — https only, every resolved address checked at connect time against private,
 * loopback, link-local, unique-local and metadata ranges, no redirects, the body capped in size
 * and the exchange in time. The policy comes from the caller (config `allowPrivateUrls`, which
 * `recon start` reads from RECON_ALLOW_PRIVATE_URLS); nothing here reads the environment.
 * One guarded fetch per (policy, size cap, resolver) lives for the process, like Node's global
 * dispatcher: connections are pooled across calls and never leak per call.
 */
import { createGuardedFetch, type GuardedFetch, type Lookup, type OutboundPolicy } from '@recon/outbound';

/** Largest provider response read (a page of bookings is far smaller), bytes. */
export const PROVIDER_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export const STRICT_OUTBOUND: OutboundPolicy = { allowPrivate: false };

export interface OutboundFetchOptions {
  readonly policy: OutboundPolicy;
  readonly maxResponseBytes?: number;
  /** Name resolution (a test resolver); default DNS. */
  readonly lookup?: Lookup;
}

const DNS: Lookup = () => undefined;
const shared = new WeakMap<Lookup, Map<string, GuardedFetch>>();

/** The guarded fetch of this policy, size cap and resolver (built once, then shared). */
export function outboundFetch(options: OutboundFetchOptions): typeof fetch {
  const maxResponseBytes = options.maxResponseBytes ?? PROVIDER_MAX_RESPONSE_BYTES;
  const build = () =>
    createGuardedFetch({
      policy: options.policy,
      maxResponseBytes,
      // The provider client's own deadline (its AbortSignal) is shorter; this one bounds a hung body.
      timeoutMs: 60_000,
      ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
    });
  const byResolver = options.lookup ?? DNS;
  let byKey = shared.get(byResolver);
  if (byKey === undefined) {
    byKey = new Map();
    shared.set(byResolver, byKey);
  }
  const key = `${options.policy.allowPrivate}:${maxResponseBytes}`;
  let guarded = byKey.get(key);
  if (guarded === undefined) {
    guarded = build();
    byKey.set(key, guarded);
  }
  return guarded.fetch;
}

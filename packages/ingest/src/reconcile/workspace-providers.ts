/**
 * A workspace's configured providers, connected from its decrypted credentials through the
 * provider registry, each client paced by the process-wide limiter of its provider account (the
 * module says which account). Cached briefly so a tick does not decrypt per lead; a credentials
 * change is picked up within the TTL.
 */
import type { Provider, WorkspaceRules } from '@recon/domain';
import { getWorkspaceSettings } from '@recon/workspaces';
import type { ClientHttpOptions, ProviderConnection } from '../providers/provider-module';
import { outboundFetch } from '../providers/outbound-fetch';
import { loadProviderCredentials } from '../providers/provider-credentials';
import { providerModules, providerNames } from '../providers/registry';
import { createTtlCache, type TtlCache } from '../webhooks/ttl-cache';
import type { ReconcileDeps } from './reconcile-deps';
import { providerObserver } from '../observability/provider-observer';

export interface WorkspaceProviders {
  /** The connected providers, by name (absent: not configured, or unusable). */
  readonly connections: Partial<Readonly<Record<Provider, ProviderConnection>>>;
  /** Why a configured provider could not be used (SECRET_UNREADABLE), by provider. */
  readonly unusable: Partial<Readonly<Record<Provider, string>>>;
  /** The workspace's rule settings (booked labels, autoCorrectSentiment). */
  readonly rules: WorkspaceRules;
  readonly reconcileIntervalMinutes: number;
  /** Hours a booked label may stay unverified (label_only leads past it are checked first; a review opens after). */
  readonly labelVerificationSlaHours: number;
}

const TTL_MS = 60_000;
const caches = new WeakMap<ReconcileDeps, TtlCache<WorkspaceProviders>>();

function common(deps: ReconcileDeps): Omit<ClientHttpOptions, 'limiter'> {
  const t = deps.providers ?? {};
  return {
    ...(t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}),
    ...(t.retry !== undefined ? { retry: t.retry } : {}),
    ...(t.onFailure !== undefined ? { onFailure: t.onFailure } : {}),
    // Guarded unless a test replaces it: the policy decides whether private addresses are reachable.
    fetch:
      t.fetch ??
      outboundFetch({
        policy: deps.outboundPolicy,
        ...(t.maxResponseBytes !== undefined ? { maxResponseBytes: t.maxResponseBytes } : {}),
        ...(t.lookup !== undefined ? { lookup: t.lookup } : {}),
      }),
  };
}

async function connect(
  deps: ReconcileDeps,
  workspaceId: string,
  provider: Provider,
): Promise<{ connection: ProviderConnection } | { unusable: string } | null> {
  const module = providerModules[provider];
  const credentials = await loadProviderCredentials(deps.db, deps.secretBox, workspaceId, module);
  if (!credentials.ok) return credentials.code === 'PROVIDER_NOT_CONFIGURED' ? null : { unusable: credentials.code };
  const limits = deps.providers?.rateLimits?.[provider] ?? module.rateLimit.defaults;
  const limiter = deps.limiters.forAccount(provider, module.rateLimit.account(credentials.value), limits);
  const observe = providerObserver(deps.metrics, provider);
  return {
    connection: module.connect(credentials.value, { ...common(deps), limiter, ...(observe ? { observe } : {}) }),
  };
}

async function load(deps: ReconcileDeps, workspaceId: string): Promise<WorkspaceProviders> {
  const [settings, ...connected] = await Promise.all([
    getWorkspaceSettings(deps.db, workspaceId),
    ...providerNames.map((p) => connect(deps, workspaceId, p)),
  ]);
  const connections: Partial<Record<Provider, ProviderConnection>> = {};
  const unusable: Partial<Record<Provider, string>> = {};
  providerNames.forEach((p, i) => {
    const c = connected[i];
    if (c && 'connection' in c) connections[p] = c.connection;
    else if (c && 'unusable' in c) unusable[p] = c.unusable;
  });
  return {
    connections,
    unusable,
    rules: {
      bookedSentimentLabels: [...settings.bookedSentimentLabels],
      autoCorrectSentiment: settings.autoCorrectSentiment,
    },
    reconcileIntervalMinutes: settings.reconcileIntervalMinutes,
    labelVerificationSlaHours: settings.labelVerificationSlaHours,
  };
}

/** The workspace's provider connections (cached for a few seconds per deps object). */
export async function workspaceProviders(deps: ReconcileDeps, workspaceId: string): Promise<WorkspaceProviders> {
  let cache = caches.get(deps);
  if (!cache) {
    cache = createTtlCache<WorkspaceProviders>(TTL_MS);
    caches.set(deps, cache);
  }
  return cache.get(
    workspaceId,
    () => load(deps, workspaceId),
    () => true,
  );
}

export function hasAnyProvider(p: WorkspaceProviders): boolean {
  return Object.keys(p.connections).length > 0 || Object.keys(p.unusable).length > 0;
}

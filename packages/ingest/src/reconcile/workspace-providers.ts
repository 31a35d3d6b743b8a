/**
 * A workspace's configured provider clients, built from its decrypted credentials, each paced by
 * the process-wide limiter of its provider account (GHL: the location; Calendly: the user the
 * token belongs to, keyed by a hash of the token since the limit is per user). Cached briefly so a
 * tick does not decrypt per lead; a credentials change is picked up within the TTL.
 */
import { createHash } from 'node:crypto';
import type { WorkspaceRules } from '@recon/domain';
import { getCalendlyCredentials, getGhlCredentials, getWorkspaceSettings } from '@recon/workspaces';
import { createCalendlyClient, type CalendlyClient } from '../providers/calendly-client';
import { createGhlClient, type GhlClient } from '../providers/ghl-client';
import type { ProviderHttpOptions } from '../providers/provider-http';
import type { ReconcileDeps } from './reconcile-deps';

export interface WorkspaceProviders {
  readonly ghl: GhlClient | null;
  readonly calendly: CalendlyClient | null;
  /** Calendly organization (for window scans). */
  readonly calendlyOrganization: string | null;
  /** Why a configured provider could not be used (SECRET_UNREADABLE), by provider. */
  readonly unusable: { readonly ghl: string | null; readonly calendly: string | null };
  /** The workspace's rule settings (booked labels, autoCorrectSentiment). */
  readonly rules: WorkspaceRules;
  readonly reconcileIntervalMinutes: number;
}

const TTL_MS = 60_000;
const cache = new WeakMap<ReconcileDeps, Map<string, { at: number; value: WorkspaceProviders }>>();

function common(deps: ReconcileDeps): Omit<ProviderHttpOptions, 'baseUrl' | 'accessToken'> {
  const t = deps.providers ?? {};
  return { ...(t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}), ...(t.retry !== undefined ? { retry: t.retry } : {}), ...(t.fetch !== undefined ? { fetch: t.fetch } : {}) };
}

const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);

async function load(deps: ReconcileDeps, workspaceId: string): Promise<WorkspaceProviders> {
  const [ghl, calendly, settings] = await Promise.all([
    getGhlCredentials(deps.db, deps.secretBox, workspaceId),
    getCalendlyCredentials(deps.db, deps.secretBox, workspaceId),
    getWorkspaceSettings(deps.db, workspaceId),
  ]);
  const ghlClient = ghl.ok
    ? createGhlClient({
        ...common(deps),
        baseUrl: ghl.value.apiBaseUrl,
        accessToken: ghl.value.accessToken,
        locationId: ghl.value.locationId,
        limiter: deps.limiters.forAccount('ghl', ghl.value.locationId, deps.providers?.ghlRateLimit),
      })
    : null;
  const calendlyClient = calendly.ok
    ? createCalendlyClient({
        ...common(deps),
        baseUrl: calendly.value.apiBaseUrl,
        accessToken: calendly.value.accessToken,
        organizationUri: calendly.value.organizationUri,
        limiter: deps.limiters.forAccount('calendly', tokenKey(calendly.value.accessToken), deps.providers?.calendlyRateLimit),
      })
    : null;
  return {
    ghl: ghlClient,
    calendly: calendlyClient,
    calendlyOrganization: calendly.ok ? calendly.value.organizationUri : null,
    unusable: {
      ghl: !ghl.ok && ghl.code !== 'PROVIDER_NOT_CONFIGURED' ? ghl.code : null,
      calendly: !calendly.ok && calendly.code !== 'PROVIDER_NOT_CONFIGURED' ? calendly.code : null,
    },
    rules: { bookedSentimentLabels: [...settings.bookedSentimentLabels], autoCorrectSentiment: settings.autoCorrectSentiment },
    reconcileIntervalMinutes: settings.reconcileIntervalMinutes,
  };
}

/** The workspace's provider clients (cached for a few seconds per deps object). */
export async function workspaceProviders(deps: ReconcileDeps, workspaceId: string): Promise<WorkspaceProviders> {
  let perDeps = cache.get(deps);
  if (!perDeps) {
    perDeps = new Map();
    cache.set(deps, perDeps);
  }
  const hit = perDeps.get(workspaceId);
  const now = Date.now();
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const value = await load(deps, workspaceId);
  perDeps.set(workspaceId, { at: now, value });
  return value;
}

export function hasAnyProvider(p: WorkspaceProviders): boolean {
  return p.ghl !== null || p.calendly !== null || p.unusable.ghl !== null || p.unusable.calendly !== null;
}

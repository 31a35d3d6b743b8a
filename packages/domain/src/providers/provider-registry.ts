/**
 * The domain's provider registry: one record keyed by provider name. Generic code (stream names,
 * the appointment decider, ingest's webhook path) looks a provider up here instead of branching on
 * its name. Adding a provider: its folder (./<name>/ with a `DomainProvider`), its name in
 * `provider-name.ts`, one line below.
 */
import { calcomDomainProvider } from './calcom/calcom-provider';
import { calendlyDomainProvider } from './calendly/calendly-provider';
import type { DomainProvider } from './domain-provider';
import { ghlDomainProvider } from './ghl/ghl-provider';
import { PROVIDER_NAMES, type Provider } from './provider-name';

export const DOMAIN_PROVIDERS = {
  ghl: ghlDomainProvider,
  calendly: calendlyDomainProvider,
  calcom: calcomDomainProvider,
} as const satisfies { readonly [P in Provider]: DomainProvider<P, unknown> };

/** The registry entry of a provider. */
export function domainProvider<P extends Provider>(name: P): (typeof DOMAIN_PROVIDERS)[P] {
  return DOMAIN_PROVIDERS[name];
}

/** Every registered provider, in declaration order. */
export function domainProviders(): readonly DomainProvider[] {
  return PROVIDER_NAMES.map((name) => DOMAIN_PROVIDERS[name] as DomainProvider);
}

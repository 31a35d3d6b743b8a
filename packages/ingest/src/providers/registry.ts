/**
 * Every provider recon knows, keyed by the domain's provider name. Typed to cover the domain's
 * `Provider` exactly: a provider added to the domain does not compile until its module is listed
 * here, and nothing here can name a provider the domain does not know. Adding a provider = its
 * folder `providers/<name>/` + one line below (see docs/architecture.md, "Adding a provider").
 */
import type { Provider } from '@recon/domain';
import { calcomProvider } from './calcom/calcom-provider';
import { calendlyProvider } from './calendly/calendly-provider';
import { ghlProvider } from './ghl/ghl-provider';
import type { ProviderModule } from './provider-module';

export const providerModules: { readonly [P in Provider]: ProviderModule } = {
  ghl: ghlProvider,
  calendly: calendlyProvider,
  calcom: calcomProvider,
};

/** The providers in registry order (the order checks run and configuration routes register in). */
export const providerNames: readonly Provider[] = Object.keys(providerModules) as Provider[];

export function providerModule(provider: Provider): ProviderModule {
  return providerModules[provider];
}

/** A string from the outside (path, body, stored row) → a known provider, or null. */
export function asProvider(value: string): Provider | null {
  return Object.hasOwn(providerModules, value) ? (value as Provider) : null;
}

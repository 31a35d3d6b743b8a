// The bench imports test generators through @recon/domain/testing, whose barrel also exports a
// vitest-based helper (decider-spec): outside vitest, `vitest` resolves to this inert stub.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'vitest') return { url: 'data:text/javascript,export const expect = () => { throw new Error("vitest is not running"); };', shortCircuit: true };
  return next(specifier, context);
}`),
  import.meta.url,
);

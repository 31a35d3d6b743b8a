/** The projections recon runs, by name. Adding one here is all a new projection needs. */
import { coreProjection } from './core/core-projection';
import { identitiesProjection } from './identities/identity-projection';
import type { Projection } from './runtime/projection';

export const ALL_PROJECTIONS: readonly Projection[] = [coreProjection, identitiesProjection];

export type ProjectionName = 'core' | 'identities';

export function projectionsNamed(names?: readonly string[]): Projection[] {
  if (names === undefined || names.length === 0) return [...ALL_PROJECTIONS];
  return names.map((n) => {
    const p = ALL_PROJECTIONS.find((x) => x.name === n);
    if (p === undefined)
      throw new Error(`unknown projection ${n}; known: ${ALL_PROJECTIONS.map((x) => x.name).join(', ')}`);
    return p;
  });
}

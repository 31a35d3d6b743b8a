/** Deterministic UUIDv5 ids derived from facts, so they are the same on every run. */
import { v5 } from 'uuid';

/** Namespace of every recon projection-derived id (a fixed random UUID). Never change it. */
export const RECON_PROJECTIONS_NAMESPACE = '7b0f7a0e-4f7d-4b7e-9a53-2f4c7c1f6d21';

export function uuidV5(name: string, namespace: string = RECON_PROJECTIONS_NAMESPACE): string {
  return v5(name, namespace);
}

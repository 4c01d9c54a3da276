import { loadRegistry } from '../build/registry.js';
import { shippedRegistryDir } from '../paths.js';
import { SyntheticHub } from './SyntheticHub.js';

/** Seed of the demo's synthetic hub; the tests use the same so their ground truth matches. */
export const DEMO_SEED = 20250825;

/** The synthetic hub over the registry shipped with the package (its real organisations). */
export function syntheticHub(models: number, seed = DEMO_SEED): SyntheticHub {
  const registry = loadRegistry(shippedRegistryDir, true);
  return new SyntheticHub({ models, seed, orgs: registry.orgs, aliases: registry.aliases });
}

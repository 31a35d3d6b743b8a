/**
 * @recon/cli: recon's executable (`main.ts`) and its composition root. Exported for tests,
 * benchmarks and other entry points that want recon in-process: start it, open its storage, the
 * embedded PostgreSQL starter and the generated-secrets store.
 */
export { startRecon, type RunningRecon, type StartOptions } from './start/start-recon';
export { openRuntime, migrateAll, type Runtime, type OpenRuntimeOptions } from './runtime/open-runtime';
export { resolveConfig, type CliConfig, type ResolveConfigResult } from './runtime/resolve-config';
export {
  startEmbeddedDatabase,
  type EmbeddedDatabase,
  type EmbeddedDatabaseOptions,
} from './runtime/embedded-database';
export {
  resolveSecrets,
  SECRETS_FILE,
  type ResolvedSecrets,
  type GivenSecrets,
  type SecretName,
} from './runtime/data-dir-secrets';
export { ensureDataDir } from './runtime/data-dir';
export { parseRoles, servesHttp, ROLES, type Role } from './runtime/roles';
export { createReconcileDeps } from './runtime/create-reconcile-deps';
export {
  createProgressReporter,
  formatProgressLine,
  type ProgressReporter,
  type ProgressUpdate,
} from './progress/progress-reporter';
export { runDemo, type DemoRun, type DemoSummary, type DemoTarget, type DemoOptions } from './demo/run-demo';

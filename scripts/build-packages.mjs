#!/usr/bin/env node
/**
 * `pnpm build`: compiles every workspace package to JavaScript in packages/<pkg>/dist/.
 *
 * Development never needs this: package.json `exports` point at TypeScript source, which tsx,
 * vitest and tsc read directly. The compiled shape is each package's `publishConfig` (what
 * `pnpm pack` publishes and what scripts/deploy-production.sh applies to the deployed folder):
 *   - `publishConfig.exports` (and `publishConfig.bin`) name files `./dist/<path>.js`; each is
 *     built from `./src/<path>.ts`, so dist mirrors src. An export that also names `types`
 *     (`./dist/<path>.d.ts`) gets declarations (emitted by tsc, once, for all typed entries).
 *   - `buildAssets` copies folders read at run time (relative to import.meta.url) into dist.
 * Each package is bundled on its own with esbuild (npm packages and other @recon packages stay
 * imports, `packages: 'external'`); entries share chunks, so a module is loaded once.
 *
 * It fails loudly when a package.json and its source disagree: an export missing from the
 * development `exports`, a dist path that does not mirror its source, or a bare import the
 * compiled code makes that the package does not list in `dependencies` (it would be missing
 * from a production install).
 *
 * Usage: node scripts/build-packages.mjs [--no-types]
 */
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const withTypes = !process.argv.includes('--no-types');
const started = Date.now();

/** A build error: stops the build with one line per problem. */
class BuildError extends Error {}

function readManifest(dir) {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** `./dist/a/b.js` → `./src/a/b.ts` (dist mirrors src). */
function sourceOf(distJs, where) {
  const m = /^\.\/dist\/(.+)\.js$/.exec(distJs);
  if (m === null) throw new BuildError(`${where}: ${distJs} is not ./dist/<path>.js`);
  return { name: m[1], source: `./src/${m[1]}.ts` };
}

/** The entries a package's publishConfig names: [{ key, name, source, types }]. */
function entriesOf(pkg) {
  const { manifest, dir } = pkg;
  const publish = manifest.publishConfig ?? {};
  if (publish.exports === undefined)
    throw new BuildError(`${manifest.name}: package.json has no publishConfig.exports`);
  const entries = [];
  for (const [key, target] of Object.entries(publish.exports)) {
    const where = `${manifest.name} publishConfig.exports["${key}"]`;
    const js = typeof target === 'string' ? target : target.default;
    const types = typeof target === 'string' ? undefined : target.types;
    const { name, source } = sourceOf(js, where);
    const dev = manifest.exports?.[key];
    if (dev !== source) throw new BuildError(`${where}: builds ${source}, but exports["${key}"] is ${dev}`);
    if (types !== undefined && types !== `./dist/${name}.d.ts`)
      throw new BuildError(`${where}: types must be ./dist/${name}.d.ts, got ${types}`);
    entries.push({ key, name, source, types });
  }
  for (const [bin, js] of Object.entries(publish.bin ?? {})) {
    const { name, source } = sourceOf(js, `${manifest.name} publishConfig.bin.${bin}`);
    entries.push({ key: `bin:${bin}`, name, source, types: undefined });
  }
  for (const entry of entries)
    if (!existsSync(path.join(dir, entry.source)))
      throw new BuildError(`${manifest.name}: ${entry.source} does not exist`);
  return entries;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

async function bundle(pkg, entries) {
  const { manifest, dir } = pkg;
  const outdir = path.join(dir, 'dist');
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: entries.map((e) => ({ in: e.source, out: e.name })),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    // A package with a bin (the cli's `recon`) gets a hashbang, so the file runs as a command.
    ...(manifest.publishConfig.bin !== undefined ? { banner: { js: '#!/usr/bin/env node' } } : {}),
  });
  for (const js of Object.values(manifest.publishConfig.bin ?? {})) chmodSync(path.join(dir, js), 0o755);
  for (const warning of result.warnings) console.warn(`${manifest.name}: ${warning.text}`);
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));
  const undeclared = new Set();
  for (const output of Object.values(result.metafile.outputs))
    for (const imported of output.imports)
      if (imported.external && !builtins.has(imported.path) && !declared.has(packageName(imported.path)))
        undeclared.add(packageName(imported.path));
  if (undeclared.size > 0)
    throw new BuildError(
      `${manifest.name}: its compiled code imports ${[...undeclared].join(', ')}, which package.json does not list in dependencies`,
    );
  for (const [from, to] of Object.entries(manifest.buildAssets ?? {}))
    cpSync(path.join(dir, from), path.join(dir, to), { recursive: true });
}

/**
 * The source imports `./x` (bundler resolution); a consumer on `moduleResolution: node16/nodenext`
 * needs `./x.js` in declarations, so every relative specifier in the emitted .d.ts names its file.
 */
function addJsExtensions(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) addJsExtensions(file);
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const text = readFileSync(file, 'utf8').replace(
      /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g,
      (whole, before, quote, specifier) => {
        if (/\.(?:js|json)$/.test(specifier)) return whole;
        const target = path.resolve(path.dirname(file), specifier);
        if (existsSync(`${target}.d.ts`)) return `${before}${quote}${specifier}.js${quote}`;
        if (existsSync(path.join(target, 'index.d.ts'))) return `${before}${quote}${specifier}/index.js${quote}`;
        throw new BuildError(`${path.relative(dir, file)}: cannot resolve ${specifier}`);
      },
    );
    writeFileSync(file, text);
  }
}

/**
 * One tsc run emitting declarations for every typed entry and the modules they reach (with a
 * type check of those: `noCheck` would skip emitting a file whose declarations need inference).
 */
function emitDeclarations(typed) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'recon-dts-'));
  try {
    const config = path.join(scratch, 'tsconfig.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(root, 'tsconfig.base.json'),
        compilerOptions: {
          noEmit: false,
          declaration: true,
          emitDeclarationOnly: true,
          rootDir: root,
          outDir: path.join(scratch, 'out'),
          // tsconfig.base.json's types are relative to it; this file lives elsewhere.
          typeRoots: [path.join(root, 'node_modules/@types')],
        },
        files: typed.map(({ pkg, entry }) => path.join(pkg.dir, entry.source)),
      }),
    );
    execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', config], { stdio: 'inherit', cwd: root });
    const emitted = path.join(scratch, 'out', 'packages');
    addJsExtensions(emitted);
    const typedPackages = new Set(typed.map(({ pkg }) => pkg.manifest.name));
    for (const name of readdirSync(emitted)) {
      const src = path.join(emitted, name, 'src');
      const pkg = packagesByDir.get(name);
      if (pkg === undefined || !existsSync(src)) continue;
      if (!typedPackages.has(pkg.manifest.name))
        throw new BuildError(
          `declarations of ${typed.map(({ pkg, entry }) => `${pkg.manifest.name}${entry.key.slice(1)}`).join(', ')} reach ${pkg.manifest.name}, which has no typed export`,
        );
      cpSync(src, path.join(pkg.dir, 'dist'), { recursive: true });
    }
    for (const { pkg, entry } of typed)
      if (!existsSync(path.join(pkg.dir, entry.types)))
        throw new BuildError(`${pkg.manifest.name}: tsc emitted no ${entry.types}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const packagesDir = path.join(root, 'packages');
const packages = readdirSync(packagesDir)
  .filter((name) => existsSync(path.join(packagesDir, name, 'package.json')))
  .map((name) => {
    const dir = path.join(packagesDir, name);
    return { name, dir, manifest: readManifest(dir) };
  });
const packagesByDir = new Map(packages.map((p) => [p.name, p]));

try {
  const planned = packages.map((pkg) => ({ pkg, entries: entriesOf(pkg) }));
  for (const { pkg } of planned) rmSync(path.join(pkg.dir, 'dist'), { recursive: true, force: true });
  await Promise.all(planned.map(({ pkg, entries }) => bundle(pkg, entries)));
  const typed = planned.flatMap(({ pkg, entries }) =>
    entries.filter((e) => e.types !== undefined).map((entry) => ({ pkg, entry })),
  );
  if (withTypes && typed.length > 0) emitDeclarations(typed);
  let files = 0;
  let bytes = 0;
  const count = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) count(full);
      else {
        files++;
        bytes += statSync(full).size;
      }
    }
  };
  for (const { pkg } of planned) count(path.join(pkg.dir, 'dist'));
  console.log(
    `build: ${planned.length} packages, ${planned.reduce((n, p) => n + p.entries.length, 0)} entries, ` +
      `${typed.length} typed${withTypes ? '' : ' (declarations skipped)'}; ${files} files, ` +
      `${(bytes / 1024).toFixed(0)} KiB in packages/*/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  if (error instanceof BuildError) {
    console.error(`build failed: ${error.message}`);
    process.exit(1);
  }
  if (error?.errors !== undefined) {
    // esbuild's own errors, already formatted with file and line.
    const text = await esbuild.formatMessages(error.errors, { kind: 'error' });
    console.error(text.join('\n'));
    process.exit(1);
  }
  throw error;
}

/**
 * The client loads no server code: following its runtime imports (type-only imports are erased)
 * from the front door through the API's contract modules (`@recon/api/schemas`,
 * `@recon/ingest/schemas`, `@recon/http`) reaches no package but zod — no fastify, pg or kysely in
 * a CRM's process.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `@recon/<name>[/<sub>]` → the file its package.json exports for it. */
function resolveRecon(specifier: string): string {
  const [, name, sub] = /^@recon\/([^/]+)(?:\/(.+))?$/.exec(specifier) ?? [];
  const manifest = JSON.parse(readFileSync(join(packages, name!, 'package.json'), 'utf8')) as {
    exports: Record<string, string>;
  };
  const target = manifest.exports[sub === undefined ? '.' : `./${sub}`];
  if (target === undefined) throw new Error(`${specifier} is not exported`);
  return join(packages, name!, target);
}

function runtimeSpecifiers(source: string): string[] {
  const withoutTypeOnly = source.replace(/^(import|export) type [^;]*;/gms, '');
  return [...withoutTypeOnly.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)';/gms)].map((m) => m[1]!);
}

function closure(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const s of runtimeSpecifiers(readFileSync(file, 'utf8'))) {
      if (s.startsWith('.')) visit(resolve(dirname(file), s.endsWith('.ts') ? s : `${s}.ts`));
      else if (s.startsWith('@recon/')) visit(resolveRecon(s));
      else external.add(s);
    }
  };
  visit(entry);
  return { files, external };
}

describe('the client’s runtime imports', () => {
  it('reach only zod beyond recon’s contract modules', () => {
    const { files, external } = closure(resolveRecon('@recon/client'));
    expect([...external]).toEqual(['zod']);
    const outside = [...files]
      .filter((f) => !f.startsWith(join(packages, 'client')))
      .map((f) => f.slice(packages.length + 1));
    expect(outside).toContain('api/src/read/read-schemas.ts');
    expect(outside).toContain('ingest/src/leads/lead-input.ts');
    for (const f of outside)
      expect(f).toMatch(
        /^(api\/src\/read\/(read|delivery)-schemas\.ts|ingest\/src\/leads\/lead-input\.ts|http\/src\/)/,
      );
  });
});

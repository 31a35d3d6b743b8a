// Keeps production appends idempotent on both stores (issue 12, finding 3): EventStoreDB dedupes a
// retried append reliably only with an exact expected revision or `no_stream`; with `any` or
// `stream_exists` only through an in-memory cache a restart empties. So every event-store append in
// production code (every package's src/, tests and test support excluded) must pass an explicit
// `expectedRevision` that is neither 'any' nor 'stream_exists' (the default is 'any').
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packagesDir = fileURLToPath(new URL('../../../', import.meta.url));
// The event store's own package only holds the adapters and their test helpers (adapter checks);
// @recon/testkit is test support as a whole (its fixture appends use 'any' on purpose).
const NOT_PRODUCTION =
  /(\.test\.ts$|\.d\.ts$|\/testing\/|\/test-support\/|\/test\/|\/bench\/|^.*\/eventstore\/src\/|^.*\/testkit\/src\/)/;
const LOOSE = new Set(['any', 'stream_exists']);

function productionFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...productionFiles(path));
    else if (path.endsWith('.ts') && !NOT_PRODUCTION.test(path) && path.includes('/src/')) out.push(path);
  }
  return out;
}

/** String literals an expression can evaluate to (through `??`, `||`, `?:` and parentheses). */
function literalsOf(node: ts.Expression): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return literalsOf(node.expression);
  if (ts.isConditionalExpression(node)) return [...literalsOf(node.whenTrue), ...literalsOf(node.whenFalse)];
  if (ts.isBinaryExpression(node)) return [...literalsOf(node.left), ...literalsOf(node.right)];
  return [];
}

/** Every `<something store>.append(stream, events, options?)` call whose expectation is not strict. */
function looseAppends(file: string, source: string, seen: { calls: number } = { calls: 0 }): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'append'
    ) {
      const receiver = node.expression.expression.getText(sf);
      if (/store/i.test(receiver) && node.arguments.length >= 2) {
        seen.calls += 1;
        const where = `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
        const options = node.arguments[2];
        const property =
          options !== undefined && ts.isObjectLiteralExpression(options)
            ? options.properties.find(
                (p): p is ts.PropertyAssignment =>
                  ts.isPropertyAssignment(p) && p.name.getText(sf) === 'expectedRevision',
              )
            : undefined;
        if (property === undefined) found.push(`${where} (no explicit expectedRevision: defaults to 'any')`);
        else if (literalsOf(property.initializer).some((l) => LOOSE.has(l)))
          found.push(`${where} (${property.initializer.getText(sf)})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('production appends use exact or no_stream expectations', () => {
  it('finds loose expectations (the guard itself can fail)', () => {
    const sample = `await store.append(s, e); await deps.store.append(s, e, { expectedRevision: r ?? 'any' });
      await store.append(s, e, { expectedRevision: 'no_stream' }); params.append('a', 'b');`;
    expect(looseAppends('sample.ts', sample)).toEqual([
      "sample.ts:1 (no explicit expectedRevision: defaults to 'any')",
      "sample.ts:1 (r ?? 'any')",
    ]);
  });

  it('holds for every package', () => {
    const files = productionFiles(packagesDir);
    expect(files.length).toBeGreaterThan(50);
    const seen = { calls: 0 };
    const loose = files.flatMap((file) => looseAppends(relative(packagesDir, file), readFileSync(file, 'utf8'), seen));
    expect(loose).toEqual([]);
    expect(seen.calls).toBeGreaterThanOrEqual(3); // ingest's command handler, reconcile, the link dispatcher
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, statusOf } from './error-codes';

const docs = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/errors.md'),
  'utf8',
);
const rows = new Map([...docs.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));

describe('docs/errors.md and the code → status map', () => {
  it('every code has a row with its status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) expect(rows.get(code), code).toBe(status);
  });
  it('every documented status row is a code the API knows', () => {
    for (const [code, status] of rows) expect(statusOf(code), code).toBe(status);
  });
  it('unknown codes are treated as bugs (500)', () => {
    expect(statusOf('NO_SUCH_CODE')).toBe(500);
  });
});

import { describe, expect, it } from 'vitest';
import { serializeError } from './create-logger';

class DatabaseError extends Error {
  code = '23505';
  detail = 'Key (email)=(jordan.lead@example.com) already exists.';
}

describe('serializeError', () => {
  it('given a database error, keeps class, code and stack but never its message or detail', () => {
    const out = JSON.stringify(serializeError(new DatabaseError('invalid input: "jordan.lead@example.com"')));
    expect(out).not.toContain('example.com');
    expect(JSON.parse(out)).toMatchObject({ type: 'DatabaseError', code: '23505' });
  });

  it("given recon's own error, keeps its message and drops extra properties", () => {
    const error = Object.assign(new Error('RECON_DATA_DIR is not writable'), { payload: { email: 'a@example.com' } });
    const out = serializeError(error);
    expect(out).toMatchObject({ type: 'Error', message: 'RECON_DATA_DIR is not writable' });
    expect(JSON.stringify(out)).not.toContain('example.com');
  });

  it('given a non-error, logs only its type', () => {
    expect(serializeError('secret text')).toEqual({ type: 'string' });
  });
});

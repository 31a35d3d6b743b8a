import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box';

const OLD = 'old-root-secret-0123456789abcdef-0123456789';
const NEW = 'new-root-secret-0123456789abcdef-0123456789';

describe('secret box', () => {
  it('opens what it sealed, bound to its associated data', () => {
    const box = createSecretBox(NEW);
    const sealed = box.seal('token-1', 'ws_a/ghl');
    expect(box.open(sealed, 'ws_a/ghl')).toEqual({ ok: true, value: 'token-1', sealedUnder: 'current' });
    expect(box.open(sealed, 'ws_b/ghl')).toEqual({ ok: false, code: 'SECRET_UNREADABLE' });
    expect(box.open(`${sealed.slice(0, -2)}AA`, 'ws_a/ghl')).toEqual({ ok: false, code: 'SECRET_UNREADABLE' });
  });

  it('during a rotation opens what the previous key sealed, says so, and seals under the new key only', () => {
    const sealedOld = createSecretBox(OLD).seal('token-2', 'ws_a/calendly');
    expect(createSecretBox(NEW).open(sealedOld, 'ws_a/calendly')).toEqual({ ok: false, code: 'SECRET_UNREADABLE' });
    const rotating = createSecretBox(NEW, OLD);
    expect(rotating.open(sealedOld, 'ws_a/calendly')).toEqual({ ok: true, value: 'token-2', sealedUnder: 'previous' });
    const resealed = rotating.seal('token-2', 'ws_a/calendly');
    expect(createSecretBox(NEW).open(resealed, 'ws_a/calendly')).toEqual({
      ok: true,
      value: 'token-2',
      sealedUnder: 'current',
    });
    expect(createSecretBox(OLD).open(resealed, 'ws_a/calendly')).toEqual({ ok: false, code: 'SECRET_UNREADABLE' });
  });
});

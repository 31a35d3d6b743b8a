/**
 * PostgreSQL text and jsonb cannot hold NUL characters or lone UTF-16 surrogates; such input
 * would fail deep inside an append and look like an outage. Boundaries refuse it up front as
 * bad input. Returns the path of the first offending string, or null.
 */
/** A UTF-16 surrogate without its partner (String#isWellFormed is ES2024, beyond our lib). */
function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

export function findUnstorableText(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') || hasLoneSurrogate(value) ? path.join('.') : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, String(i)], depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const foundKey = findUnstorableText(key, [...path, '(key)'], depth + 1);
    if (foundKey !== null) return foundKey;
    const found = findUnstorableText(inner, [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** The admin token and root secret key of every api test app (test values, never real ones). */
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
export const SECRET_KEY = 'secret-key-for-tests-0123456789abcdef-0123';

/** The admin's authorization header. */
export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

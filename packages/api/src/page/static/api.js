// The operator's session (workspace id and key, in sessionStorage only) and calls to the read API.
const SESSION_KEY = 'recon.operator';
const POSITION_KEY = 'recon.position';

export const session = { current: null, lastPosition: null };

export function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    session.current = s && s.ws && s.key ? s : null;
    session.lastPosition = session.current ? sessionStorage.getItem(POSITION_KEY) : null;
  } catch {
    session.current = null;
  }
  return session.current;
}

export function forgetSession() {
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(POSITION_KEY);
  session.current = null;
  session.lastPosition = null;
}

/** The key alone identifies its workspace: GET /v1/me says which. Returns null or why it was refused. */
export async function signIn(key) {
  let res;
  try {
    res = await fetch('/v1/me', { headers: { authorization: `Bearer ${key}` } });
  } catch {
    return 'recon did not answer; try again.';
  }
  if (res.status === 401) return 'The key was refused. Enter a valid operator key.';
  if (res.status !== 200) return `Could not sign in (HTTP ${res.status}); try again.`;
  const me = await res.json();
  if (me.kind !== 'operator' || !me.workspaceId) return 'This page needs an operator key of a workspace (rk_…).';
  session.current = { ws: me.workspaceId, key, label: me.label ?? null };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session.current));
  return null;
}

/** A call under the workspace; bodies (e.g. a searched email) go in the JSON body, never the URL. */
export async function api(method, path, body) {
  const headers = { authorization: `Bearer ${session.current.key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const url = `/v1/workspaces/${encodeURIComponent(session.current.ws)}${path}`;
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { status: 0, data: null, position: null };
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  const position = res.headers.get('x-recon-position');
  return { status: res.status, data, position };
}

/** Read-your-writes: after a write, reads (also after a reload) wait for the projections to reach it. */
export function noteWrite(position) {
  if (!position) return;
  session.lastPosition = position;
  sessionStorage.setItem(POSITION_KEY, position);
}

export function query(params = new URLSearchParams()) {
  if (session.lastPosition) params.set('minPosition', session.lastPosition);
  const s = params.toString();
  return s ? `?${s}` : '';
}

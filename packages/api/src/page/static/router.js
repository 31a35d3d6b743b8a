// Hash routes of the operator page: `#/overview`, `#/tasks?kind=&severity=`, `#/mismatches`,
// `#/unmatched`, `#/leads/<leadId>` (`?asOf=<ISO>`: the lead as of then). Nothing personal goes in them (an email is searched by POST).
export const VIEWS = ['overview', 'tasks', 'mismatches', 'unmatched', 'lead'];

export function parseRoute(hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  const params = new URLSearchParams(search);
  const lead = /^leads\/(.+)$/.exec(path);
  if (lead) {
    try {
      return { view: 'lead', leadId: decodeURIComponent(lead[1]), params };
    } catch {
      return { view: 'overview', params };
    }
  }
  return { view: VIEWS.includes(path) && path !== 'lead' ? path : 'overview', params };
}

export function routeHash(view, params) {
  const s = params ? params.toString() : '';
  return `#/${view}${s ? `?${s}` : ''}`;
}

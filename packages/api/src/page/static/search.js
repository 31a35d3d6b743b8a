// Lead search in the header: an email (POSTed in the body, hashed by recon, never in a URL) or the
// start of a lead id; results link to each lead's own address.
import { api } from './api.js';
import { failed } from './bus.js';
import { $, announce, el, errorCode } from './dom.js';

export const search = { open: false };

export function searchBody(text) {
  return text.includes('@') ? { email: text } : { leadIdPrefix: text };
}

function resultItem(l) {
  return el(
    'li',
    {},
    el('a', { href: `#/leads/${encodeURIComponent(l.leadId)}`, text: l.leadId }),
    ' ',
    el('span', {
      class: 'muted',
      text: `· ${l.state}${l.appointment ? ` · ${l.appointment.status} at ${l.appointment.provider}` : ''}`,
    }),
  );
}

async function run(e, show) {
  e.preventDefault();
  const text = $('search-input').value.trim();
  if (!text) return;
  const r = await api('POST', '/leads:search', searchBody(text));
  if (r.status === 400) return announce(`Not a valid email or lead id (${errorCode(r)}).`);
  if (r.status !== 200) return failed(r, 'search');
  $('search-list').replaceChildren(...r.data.items.map(resultItem));
  $('search-empty').hidden = r.data.items.length > 0;
  search.open = true;
  show();
  $('search-title').textContent = `Search results (${r.data.items.length})`;
  $('search-title').focus();
  announce(`${r.data.items.length} ${r.data.items.length === 1 ? 'lead' : 'leads'} found.`);
  return true;
}

/** `show` puts the results panel where the operator is looking (above the current view). */
export function wireSearch(show) {
  $('search-form').addEventListener('submit', (e) => void run(e, show));
  $('search-close').addEventListener('click', () => {
    search.open = false;
    show();
    $('search-input').focus();
  });
}

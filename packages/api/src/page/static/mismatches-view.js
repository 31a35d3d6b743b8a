// The mismatch table: open mismatches by kind, keyset paged.
import { api, query } from './api.js';
import { failed } from './bus.js';
import { $, el, fillTable, leadLink, when } from './dom.js';
import { MISMATCH_TEXT } from './labels.js';
import { Pager } from './pager.js';

const pager = new Pager();

export async function loadMismatches() {
  const params = new URLSearchParams({ limit: $('mm-limit').value });
  if ($('mm-kind').value) params.set('kind', $('mm-kind').value);
  if (pager.cursor) params.set('cursor', pager.cursor);
  const r = await api('GET', `/mismatches${query(params)}`);
  if (r.status !== 200) return failed(r, 'mismatches');
  pager.next = r.data.nextCursor;
  const rows = r.data.items.map((m) =>
    el(
      'tr',
      { 'data-kind': m.kind },
      el('td', { 'data-label': 'Lead' }, leadLink(m.leadId)),
      el('td', { 'data-label': 'Kind', text: MISMATCH_TEXT[m.kind] ?? m.kind }),
      el('td', { 'data-label': 'Since', text: when(m.since) }),
      el('td', { 'data-label': 'Sentiment', text: m.sentiment ? m.sentiment.label : '—' }),
      el('td', {
        'data-label': 'Last message',
        text: m.lastInboundAt ? `${m.lastMessageDirection ?? ''} ${when(m.lastInboundAt)}` : '—',
      }),
    ),
  );
  fillTable('mismatches', 'mm-empty', rows);
  $('mm-prev').disabled = !pager.hasPrev;
  $('mm-next').disabled = pager.next === null;
  return true;
}

export function wireMismatches() {
  for (const id of ['mm-kind', 'mm-limit'])
    $(id).addEventListener('change', () => {
      pager.reset();
      void loadMismatches();
    });
  $('mm-filters').addEventListener('submit', (e) => e.preventDefault());
  $('mm-next').addEventListener('click', () => pager.forward() && void loadMismatches());
  $('mm-prev').addEventListener('click', () => pager.back() && void loadMismatches());
}

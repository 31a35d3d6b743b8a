/* global history, location */
// The task table: open review tasks, filtered by kind and severity (kept in the hash, so the filter
// survives reload and back/forward), keyset paged, each with its resolve control.
import { api, query } from './api.js';
import { failed } from './bus.js';
import { $, el, fillTable, leadLink, when } from './dom.js';
import { taskText } from './labels.js';
import { Pager } from './pager.js';
import { routeHash } from './router.js';
import { resolveControls, taskBadge } from './task-controls.js';

const pager = new Pager();
const FILTERS = ['kind', 'severity'];

function taskRow(t) {
  const info = taskText(t);
  const { note, button } = resolveControls(t);
  return el(
    'tr',
    { class: info.tone, 'data-task-id': t.id, 'data-kind': t.kind, 'data-severity': t.severity },
    el('td', { 'data-label': 'Severity' }, taskBadge(t)),
    el('td', { 'data-label': 'What happened', text: info.what }),
    el('td', { 'data-label': 'Lead' }, leadLink(t.leadId)),
    el('td', { 'data-label': 'Since', text: when(t.createdAt) }),
    el('td', { 'data-label': 'Note' }, note),
    el('td', {}, button),
  );
}

/** The filters the route names (unknown values are ignored by the selects). */
export function showTaskFilters(params) {
  $('task-kind').value = params.get('kind') ?? '';
  $('task-severity').value = params.get('severity') ?? '';
  if ($('task-kind').value !== (params.get('kind') ?? '')) $('task-kind').value = '';
  if ($('task-severity').value !== (params.get('severity') ?? '')) $('task-severity').value = '';
}

export async function loadTasks() {
  const params = new URLSearchParams({ status: 'open', limit: '25' });
  if ($('task-kind').value) params.set('kind', $('task-kind').value);
  if ($('task-severity').value) params.set('severity', $('task-severity').value);
  if (pager.cursor) params.set('cursor', pager.cursor);
  const r = await api('GET', `/tasks${query(params)}`);
  if (r.status !== 200) return failed(r, 'tasks');
  pager.next = r.data.nextCursor;
  // A server without the severity filter answers every task: filter here too.
  const severity = $('task-severity').value;
  const items = severity ? r.data.items.filter((t) => t.severity === severity) : r.data.items;
  fillTable('tasks', 'tasks-empty', items.map(taskRow));
  $('tasks-prev').disabled = !pager.hasPrev;
  $('tasks-next').disabled = pager.next === null;
  return true;
}

function filtersChanged() {
  const params = new URLSearchParams();
  for (const f of FILTERS) if ($(`task-${f}`).value) params.set(f, $(`task-${f}`).value);
  // The filter is part of the address, without a history entry per select change.
  const hash = routeHash('tasks', params);
  if (location.hash !== hash) history.replaceState(history.state, '', hash);
  pager.reset();
  void loadTasks();
}

export function wireTasks() {
  for (const f of FILTERS) $(`task-${f}`).addEventListener('change', filtersChanged);
  $('task-filters').addEventListener('submit', (e) => e.preventDefault());
  $('tasks-next').addEventListener('click', () => pager.forward() && void loadTasks());
  $('tasks-prev').addEventListener('click', () => pager.back() && void loadTasks());
}

export const resetTaskPages = () => pager.reset();

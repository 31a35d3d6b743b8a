/* global document */
// "At a glance" figures and the counts in the tab titles, from GET …/stats.
import { api, query } from './api.js';
import { failed } from './bus.js';
import { $, el, when } from './dom.js';

const sum = (o) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);

export const counts = { tasks: null, redTasks: null, mismatches: null, unmatched: null };

function setTab(id, label, count, extra) {
  const tab = $(id);
  const children = [`${label}${count === null ? '' : ` (${count})`}`];
  if (extra) children.push(' ', el('span', { class: 'badge red small', text: extra }));
  tab.replaceChildren(...children);
}

export function renderTabCounts() {
  setTab('tab-tasks', 'Tasks', counts.tasks, counts.redTasks ? `${counts.redTasks} red` : null);
  setTab('tab-mismatches', 'Mismatches', counts.mismatches);
  setTab('tab-unmatched', 'Unmatched bookings', counts.unmatched);
}

export async function loadStats() {
  const r = await api('GET', `/stats${query()}`);
  if (r.status !== 200) return failed(r, 'stats');
  const s = r.data;
  counts.tasks = s.openTasks;
  counts.redTasks = s.openTasksBySeverity ? (s.openTasksBySeverity.red ?? 0) : null;
  counts.mismatches = sum(s.openMismatchesByKind);
  counts.unmatched = s.unmatchedBookings;
  renderTabCounts();
  const items = [
    ['Unknown leads', s.unknownLeads],
    ['Booked', s.leadsByState.booked],
    ['Canceled', s.leadsByState.canceled],
    ['Completed', s.leadsByState.completed],
    ['No-show', s.leadsByState.no_show],
    ['Not booked', s.leadsByState.not_booked],
    ['Open tasks', s.openTasks],
    ['Open mismatches', counts.mismatches],
    ['Unmatched bookings', s.unmatchedBookings],
    ['Last reconciliation', when(s.lastReconciliationAt)],
  ];
  $('stats').replaceChildren(
    ...items.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', { text: String(v ?? 0) }))),
  );
  document.title = `recon · operator · ${s.openTasks} open tasks`;
  return true;
}

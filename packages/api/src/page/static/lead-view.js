/* global location */
// The lead view (`#/leads/<id>`): its facts, its open tasks with their resolve controls, and one
// timeline of what recon observed (sentiment, checks, appointment history, tasks). Time travel:
// `#/leads/<id>?asOf=<ISO>` shows the lead as recon knew it then (GET …/leads/<id>?asOf=, folded
// from the events recorded by that time), read-only, under a banner with the way back to now.
import { api, noteWrite, query } from './api.js';
import { emit, failed } from './bus.js';
import { $, announce, el, errorCode, when } from './dom.js';
import { MISMATCH_TEXT, taskText } from './labels.js';
import { parseRoute, routeHash } from './router.js';
import { resolveControls, taskBadge } from './task-controls.js';

export const lead = { id: null };

function facts(l) {
  return [
    ['Booking state', `${l.state}${l.assumed ? ' (assumed: meeting time has passed)' : ''}`],
    ...(l.grade
      ? [['Verification', `${l.grade.replaceAll('_', ' ')} (${(l.evidence || []).length} evidence events)`]]
      : []),
    ['Sentiment', l.sentiment ? `${l.sentiment.label} (${when(l.sentiment.classifiedAt)})` : '—'],
    [
      'Appointment',
      l.appointment ? `${l.appointment.provider} · ${l.appointment.status} · ${when(l.appointment.startAt)}` : '—',
    ],
    [
      'Automation',
      l.gate
        ? `${l.gate.mayEnroll ? 'may enroll' : 'do not enroll'}${l.gate.mustPause ? ', pause sequences' : ''} (${l.gate.reason})`
        : '—',
    ],
    ['Open mismatches', l.mismatches.map((m) => MISMATCH_TEXT[m.kind] ?? m.kind).join('; ') || 'none'],
  ];
}

function checkText(c) {
  if (c.outcome && c.outcome.kind === 'found') return `found ${c.outcome.count}`;
  if (c.outcome && c.outcome.kind === 'failed') return `failed (${c.outcome.code})`;
  return 'nothing found';
}

/** An instant to the second, UTC (the as-of banner and control work at that precision). */
const toSecond = (iso) => `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** The lead's address, now (`asOf` null) or as of an instant. */
function leadHash(leadId, asOf) {
  return routeHash(`leads/${encodeURIComponent(leadId)}`, asOf ? new URLSearchParams({ asOf }) : null);
}

function asOfButton(at) {
  return el('button', {
    type: 'button',
    class: 'small asof-pick',
    text: 'as of then',
    'aria-label': `Show the lead as recon knew it at ${toSecond(at)}`,
    onclick: () => {
      location.hash = leadHash(lead.id, new Date(at).toISOString());
    },
  });
}

function timeline(l, appointments, tasks, asOf) {
  const events = [];
  if (l.sentiment) events.push({ at: l.sentiment.classifiedAt, text: `Sentiment classified: ${l.sentiment.label}` });
  for (const c of l.checks) events.push({ at: c.checkedAt, text: `Checked ${c.provider}: ${checkText(c)}` });
  for (const a of appointments) {
    const chain = [
      a.rescheduledFrom ? `rescheduled from ${a.rescheduledFrom}` : '',
      a.rescheduledTo ? `rescheduled to ${a.rescheduledTo}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    for (const h of a.history)
      events.push({
        at: h.observedAt,
        text: `${h.eventType.replace('Appointment', 'Appointment ')} · ${a.provider} ${a.providerAppointmentId} · meeting ${when(h.startAt)} · now ${h.statusAfter} (${h.source})${chain ? ` · ${chain}` : ''}`,
      });
  }
  for (const t of tasks) {
    const label = taskText(t).label;
    events.push({ at: t.createdAt, text: `Review task opened: ${label}` });
    if (t.resolvedAt)
      events.push({ at: t.resolvedAt, text: `Review task resolved: ${label}${t.note ? ` — note: ${t.note}` : ''}` });
  }
  const shown = asOf ? events.filter((e) => new Date(e.at).getTime() <= new Date(asOf).getTime()) : events;
  shown.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return shown.map((e) =>
    el('li', {}, el('span', { class: 'when', text: when(e.at) }), ' ', e.text, ' ', asOfButton(e.at)),
  );
}

/** A task as it stood at the as-of time: read-only (nothing can be resolved in the past). */
function pastTaskItem(t) {
  return el(
    'li',
    { 'data-task-id': t.id, 'data-kind': t.kind, 'data-severity': t.severity, class: t.severity },
    el('div', { class: 'task-head' }, taskBadge(t), ' ', el('span', { text: taskText(t).what })),
  );
}

/** The banner over an as-of view (hidden when showing now) and the control's value. */
function showAsOf(leadId, asOf) {
  const banner = $('asof-banner');
  banner.hidden = !asOf;
  $('asof-input').value = asOf ? new Date(asOf).toISOString().slice(0, 19) : '';
  if (!asOf) return banner.replaceChildren();
  banner.replaceChildren(
    el('strong', { text: `As of ${toSecond(asOf)}` }),
    ': the lead as recon knew it then, from the events recorded by that time (read-only). ',
    el('a', { href: leadHash(leadId, null), id: 'asof-now', text: 'Back to now' }),
  );
}

function openTaskItem(t) {
  const { note, button } = resolveControls(t);
  return el(
    'li',
    { 'data-task-id': t.id, 'data-kind': t.kind, 'data-severity': t.severity, class: t.severity },
    el('div', { class: 'task-head' }, taskBadge(t), ' ', el('span', { text: taskText(t).what })),
    el('div', { class: 'task-act' }, note, button),
  );
}

/** Loads and shows a lead; a missing lead says so in the view (its address may be stale). */
export async function loadLead(leadId) {
  lead.id = leadId;
  const asOf = parseRoute(location.hash).params.get('asOf');
  const q = query();
  const id = encodeURIComponent(leadId);
  const [l, appts, openTasks, doneTasks] = await Promise.all([
    api('GET', `/leads/${id}${query(asOf ? new URLSearchParams({ asOf }) : undefined)}`),
    api('GET', `/leads/${id}/appointments${q}`),
    api('GET', `/tasks${query(new URLSearchParams({ status: 'open', limit: '200', leadId }))}`),
    api('GET', `/tasks${query(new URLSearchParams({ status: 'resolved', limit: '200', leadId }))}`),
  ]);
  if (lead.id !== leadId) return false; // the operator moved on meanwhile
  $('lead-title').textContent = `Lead ${leadId}`;
  $('lead-error').textContent = '';
  showAsOf(leadId, l.status === 200 && l.data.asOf ? l.data.asOf : asOf);
  if (l.status !== 200) {
    $('lead-facts').replaceChildren();
    $('lead-tasks').replaceChildren();
    $('timeline').replaceChildren();
    if (l.status === 404)
      $('lead-error').textContent = asOf
        ? `recon knew no lead “${leadId}” yet at ${toSecond(asOf)} (${errorCode(l)}).`
        : `No lead “${leadId}” in this workspace (${errorCode(l)}).`;
    if (l.status === 400 && asOf) $('lead-error').textContent = 'The address’s as-of time is not a valid time.';
    return failed(l, 'lead');
  }
  const open = openTasks.status === 200 ? openTasks.data.items : [];
  const done = doneTasks.status === 200 ? doneTasks.data.items : [];
  $('lead-facts').replaceChildren(...facts(l.data).flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  const items = asOf ? l.data.openTasks.map(pastTaskItem) : open.map(openTaskItem);
  $('lead-tasks').replaceChildren(
    ...(items.length > 0 ? items : [el('li', { class: 'muted', text: 'No open tasks.' })]),
  );
  const appointments = appts.status === 200 ? appts.data.items : [];
  $('timeline').replaceChildren(...timeline(l.data, appointments, [...open, ...done], l.data.asOf ?? null));
  return true;
}

async function checkNow() {
  if (!lead.id) return;
  $('check-now').disabled = true;
  announce('Checking the providers…');
  const r = await api('POST', `/leads/${encodeURIComponent(lead.id)}/check`, {});
  $('check-now').disabled = false;
  if (r.status === 404 && errorCode(r) !== 'LEAD_NOT_FOUND')
    return announce('Check now is not available on this server.');
  if (r.status === 429) return announce('This lead was checked moments ago; try again in a few seconds.');
  if (r.status !== 200) return failed(r, 'check');
  noteWrite(r.data.position || r.position);
  announce(`Checked: lead is ${r.data.state}.`);
  emit('changed');
}

/** The "as of" control: a UTC date and time (to the second) → the lead's as-of address. */
function pickAsOf(e) {
  e.preventDefault();
  if (!lead.id) return;
  const value = $('asof-input').value;
  if (!value) {
    location.hash = leadHash(lead.id, null);
    return;
  }
  const at = new Date(`${value.length === 16 ? `${value}:00` : value}Z`);
  if (Number.isNaN(at.getTime())) return announce('Enter a date and time.');
  location.hash = leadHash(lead.id, at.toISOString());
}

export function wireLead(back) {
  $('check-now').addEventListener('click', () => void checkNow());
  $('lead-back').addEventListener('click', back);
  $('asof-form').addEventListener('submit', pickAsOf);
}

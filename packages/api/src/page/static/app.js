/* global document */
// recon operator page. Plain ES module, no framework: API data is only ever set as textContent.
const SESSION_KEY = 'recon.operator';
const $ = (id) => document.getElementById(id);

const TASK_TEXT = {
  'meeting-canceled': { label: 'Red: meeting canceled', what: 'Meeting canceled — call the lead', tone: 'red' },
  'meeting-rescheduled': {
    label: 'Red: meeting rescheduled',
    what: 'Meeting rescheduled — confirm the new time',
    tone: 'red',
  },
  'meeting-no-show': { label: 'Amber: no-show', what: 'Lead did not show up — review', tone: 'amber' },
};
const MISMATCH_TEXT = {
  sentiment_booked_no_evidence: 'Sentiment says booked, no provider evidence',
  evidence_not_marked_booked: 'Booked at a provider, sentiment not marked',
  canceled_but_booked_status: 'Canceled, still marked booked',
};

let session = null;
const pages = { tasks: { stack: [null], next: null }, mm: { stack: [null], next: null } };
let currentLead = null;
let lastPosition = null;

function announce(text) {
  $('live').textContent = '';
  // A fresh text node so screen readers announce repeats too.
  setTimeout(() => {
    $('live').textContent = text;
  }, 30);
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${session.key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const url = `/v1/workspaces/${encodeURIComponent(session.ws)}${path}`;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  return { status: res.status, data, position: res.headers.get('x-recon-position') };
}

function withMin(params) {
  if (lastPosition) params.set('minPosition', lastPosition);
  return params.toString();
}

async function loadStats() {
  const r = await api('GET', `/stats?${withMin(new URLSearchParams())}`);
  if (r.status !== 200) return failed(r, 'stats');
  const s = r.data;
  const items = [
    ['Unknown leads', s.unknownLeads],
    ['Booked', s.leadsByState.booked],
    ['Canceled', s.leadsByState.canceled],
    ['Completed', s.leadsByState.completed],
    ['No-show', s.leadsByState.no_show],
    ['Not booked', s.leadsByState.not_booked],
    ['Open tasks', s.openTasks],
    ['Open mismatches', Object.values(s.openMismatchesByKind).reduce((a, b) => a + b, 0)],
    ['Unmatched bookings', s.unmatchedBookings],
    ['Last reconciliation', when(s.lastReconciliationAt)],
  ];
  $('stats').replaceChildren(
    ...items.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', { text: String(v ?? 0) }))),
  );
  return true;
}

function taskRow(t) {
  const info = TASK_TEXT[t.kind] ?? { label: t.severity, what: t.kind, tone: t.severity === 'red' ? 'red' : 'amber' };
  const note = el('textarea', { rows: '1', 'aria-label': `Note for task on lead ${t.leadId}`, maxlength: '2000' });
  const resolve = el('button', {
    type: 'button',
    text: 'Resolve',
    'aria-label': `Resolve: ${info.what} (lead ${t.leadId})`,
  });
  resolve.addEventListener('click', () => resolveTask(t, note, resolve));
  return el(
    'tr',
    { class: info.tone, 'data-task-id': t.id, 'data-kind': t.kind },
    el('td', {}, el('span', { class: `badge ${info.tone}`, 'data-severity': t.severity, text: info.label })),
    el('td', { text: info.what }),
    el('td', {}, leadButton(t.leadId)),
    el('td', { text: when(t.createdAt) }),
    el('td', {}, note),
    el('td', {}, resolve),
  );
}

async function loadTasks() {
  const p = pages.tasks;
  const params = new URLSearchParams({ status: 'open', limit: '25' });
  const cursor = p.stack[p.stack.length - 1];
  if (cursor) params.set('cursor', cursor);
  const r = await api('GET', `/tasks?${withMin(params)}`);
  if (r.status !== 200) return failed(r, 'tasks');
  p.next = r.data.nextCursor;
  $('tasks').tBodies[0].replaceChildren(...r.data.items.map(taskRow));
  $('tasks-empty').hidden = r.data.items.length > 0;
  $('tasks-prev').disabled = p.stack.length <= 1;
  $('tasks-next').disabled = p.next === null;
  return true;
}

async function resolveTask(t, note, button) {
  button.disabled = true;
  const text = note.value.trim();
  const r = await api('POST', `/tasks/${encodeURIComponent(t.id)}/resolve`, text ? { note: text } : {});
  if (r.status !== 200) {
    button.disabled = false;
    return failed(r, 'resolve');
  }
  if (r.data.position) lastPosition = r.data.position;
  announce(r.data.alreadyResolved ? 'Task was already resolved.' : `Task resolved for lead ${t.leadId}.`);
  await refreshAll();
  if (currentLead === t.leadId) await openLead(t.leadId, false);
  return true;
}

function leadButton(leadId) {
  return el('button', { type: 'button', class: 'linkish', text: leadId, onclick: () => openLead(leadId, true) });
}

async function loadMismatches() {
  const p = pages.mm;
  const params = new URLSearchParams({ limit: $('mm-limit').value });
  if ($('mm-kind').value) params.set('kind', $('mm-kind').value);
  const cursor = p.stack[p.stack.length - 1];
  if (cursor) params.set('cursor', cursor);
  const r = await api('GET', `/mismatches?${withMin(params)}`);
  if (r.status !== 200) return failed(r, 'mismatches');
  p.next = r.data.nextCursor;
  const rows = r.data.items.map((m) =>
    el(
      'tr',
      {},
      el('td', {}, leadButton(m.leadId)),
      el('td', { text: MISMATCH_TEXT[m.kind] ?? m.kind }),
      el('td', { text: when(m.since) }),
      el('td', { text: m.sentiment ? m.sentiment.label : '—' }),
      el('td', { text: m.lastInboundAt ? `${m.lastMessageDirection ?? ''} ${when(m.lastInboundAt)}` : '—' }),
    ),
  );
  $('mismatches').tBodies[0].replaceChildren(...rows);
  $('mm-empty').hidden = rows.length > 0;
  $('mm-prev').disabled = p.stack.length <= 1;
  $('mm-next').disabled = p.next === null;
  return true;
}

async function openLead(leadId, focus) {
  currentLead = leadId;
  const q = withMin(new URLSearchParams());
  const id = encodeURIComponent(leadId);
  const [lead, appts, openTasks, doneTasks] = await Promise.all([
    api('GET', `/leads/${id}?${q}`),
    api('GET', `/leads/${id}/appointments?${q}`),
    api('GET', `/tasks?status=open&limit=200&leadId=${id}&${q}`),
    api('GET', `/tasks?status=resolved&limit=200&leadId=${id}&${q}`),
  ]);
  if (lead.status !== 200) return failed(lead, 'lead');
  const l = lead.data;
  $('lead-title').textContent = `Lead ${l.leadId}`;
  const facts = [
    ['Booking state', `${l.state}${l.assumed ? ' (assumed: meeting time has passed)' : ''}`],
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
    ['Open tasks', l.openTasks.map((t) => (TASK_TEXT[t.kind] ?? { label: t.kind }).label).join('; ') || 'none'],
  ];
  $('lead-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  const events = [];
  if (l.sentiment) events.push({ at: l.sentiment.classifiedAt, text: `Sentiment classified: ${l.sentiment.label}` });
  for (const c of l.checks)
    events.push({
      at: c.checkedAt,
      text: `Checked ${c.provider}: ${c.outcome && c.outcome.kind === 'found' ? `found ${c.outcome.count}` : c.outcome && c.outcome.kind === 'failed' ? `failed (${c.outcome.code})` : 'nothing found'}`,
    });
  for (const a of appts.status === 200 ? appts.data.items : []) {
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
  for (const t of [
    ...(openTasks.status === 200 ? openTasks.data.items : []),
    ...(doneTasks.status === 200 ? doneTasks.data.items : []),
  ]) {
    const label = (TASK_TEXT[t.kind] ?? { label: t.kind }).label;
    events.push({ at: t.createdAt, text: `Review task opened: ${label}` });
    if (t.resolvedAt)
      events.push({ at: t.resolvedAt, text: `Review task resolved: ${label}${t.note ? ` — note: ${t.note}` : ''}` });
  }
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  $('timeline').replaceChildren(
    ...events.map((e) => el('li', {}, el('span', { class: 'when', text: when(e.at) }), ' ', e.text)),
  );
  $('lead').hidden = false;
  if (focus) $('lead').focus();
  return true;
}

async function checkNow() {
  if (!currentLead) return;
  $('check-now').disabled = true;
  announce('Checking the providers…');
  const r = await api('POST', `/leads/${encodeURIComponent(currentLead)}/check`, {});
  $('check-now').disabled = false;
  if (r.status === 404 && r.data && r.data.error && r.data.error.code !== 'LEAD_NOT_FOUND')
    return announce('Check now is not available on this server.');
  if (r.status === 429) return announce('This lead was checked moments ago; try again in a few seconds.');
  if (r.status !== 200) return failed(r, 'check');
  if (r.data.position || r.position) lastPosition = r.data.position || r.position;
  announce(`Checked: lead is ${r.data.state}.`);
  await openLead(currentLead, false);
  await refreshAll();
}

function failed(r, what) {
  const code = r.data && r.data.error ? r.data.error.code : `HTTP ${r.status}`;
  if (r.status === 401) {
    signOut();
    $('sign-in-error').textContent = 'The key was refused. Enter a valid operator key.';
    return false;
  }
  announce(`Could not load ${what}: ${code}.`);
  return false;
}

async function refreshAll() {
  const ok = await loadStats();
  if (ok === false) return false;
  await Promise.all([loadTasks(), loadMismatches()]);
  return true;
}

function show(signedIn) {
  $('sign-in').hidden = signedIn;
  $('app').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
  $('who').hidden = !signedIn;
  $('who').textContent = signedIn ? `Workspace ${session.ws}${session.label ? ` · key ${session.label}` : ''}` : '';
}

function signOut() {
  sessionStorage.removeItem(SESSION_KEY);
  session = null;
  show(false);
  $('key-input').focus();
}

/** The key alone identifies its workspace: GET /v1/me says which. */
async function signIn(key) {
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
  session = { ws: me.workspaceId, key, label: me.label ?? null };
  return null;
}

async function start() {
  show(true);
  if (await refreshAll()) announce('Workspace loaded.');
}

$('key-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const key = $('key-input').value.trim();
  $('sign-in-error').textContent = '';
  const refused = await signIn(key);
  if (refused !== null) {
    $('sign-in-error').textContent = refused;
    return;
  }
  $('key-input').value = '';
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  void start();
});
$('sign-out').addEventListener('click', signOut);
$('refresh').addEventListener('click', () => void refreshAll().then((ok) => ok && announce('Refreshed.')));
$('mm-kind').addEventListener('change', () => {
  pages.mm = { stack: [null], next: null };
  void loadMismatches();
});
$('mm-limit').addEventListener('change', () => {
  pages.mm = { stack: [null], next: null };
  void loadMismatches();
});
$('mm-next').addEventListener('click', () => {
  if (pages.mm.next) {
    pages.mm.stack.push(pages.mm.next);
    void loadMismatches();
  }
});
$('mm-prev').addEventListener('click', () => {
  if (pages.mm.stack.length > 1) {
    pages.mm.stack.pop();
    void loadMismatches();
  }
});
$('tasks-next').addEventListener('click', () => {
  if (pages.tasks.next) {
    pages.tasks.stack.push(pages.tasks.next);
    void loadTasks();
  }
});
$('tasks-prev').addEventListener('click', () => {
  if (pages.tasks.stack.length > 1) {
    pages.tasks.stack.pop();
    void loadTasks();
  }
});
$('check-now').addEventListener('click', () => void checkNow());
$('lead-close').addEventListener('click', () => {
  $('lead').hidden = true;
  currentLead = null;
});

try {
  session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
} catch {
  session = null;
}
if (session && session.ws && session.key) void start();
else show(false);

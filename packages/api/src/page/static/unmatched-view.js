// Unmatched bookings: each with why no lead matched it, its candidate leads when ambiguous, and a
// form linking it to a lead (POST …/appointments:link with the ids as listed; an event on the server).
import { api, noteWrite } from './api.js';
import { emit, failed } from './bus.js';
import { $, announce, el, errorCode, fillTable, leadLink, when } from './dom.js';
import { reasonText } from './labels.js';
import { Pager } from './pager.js';

const pager = new Pager();

/** Why a link was refused, as the operator reads it (the code stays visible for support). */
export function linkRefusal(r, leadId) {
  const code = errorCode(r);
  const message = r.data && r.data.error && r.data.error.message ? ` ${r.data.error.message}` : '';
  switch (code) {
    case 'APPOINTMENT_LINKED_TO_OTHER_LEAD':
      return `Not linked: this booking is already linked to another lead; links are never moved (${code}).`;
    case 'LEAD_NOT_FOUND':
      return `Not linked: there is no lead “${leadId}” in this workspace (${code}).`;
    case 'APPOINTMENT_NOT_FOUND':
      return `Not linked: recon does not know this booking any more; refresh the list (${code}).`;
    case 'VALIDATION_FAILED':
      return `Not linked: enter the lead id to link to (${code}).`;
    default:
      return r.status === 404 || r.status === 405
        ? `Linking is not available on this server (${code}).`
        : `Not linked (${code}).${message}`;
  }
}

function linkForm(b, index) {
  const inputId = `link-lead-${index}`;
  const errorId = `link-error-${index}`;
  const input = el('input', {
    id: inputId,
    type: 'text',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '200',
    'aria-describedby': errorId,
    value: b.candidateLeadIds.length === 1 ? b.candidateLeadIds[0] : undefined,
  });
  const error = el('p', { id: errorId, class: 'error', role: 'alert' });
  const button = el('button', { type: 'submit', text: 'Link to lead' });
  const form = el(
    'form',
    { class: 'link-form', 'aria-label': `Link booking ${b.providerAppointmentId} to a lead` },
    el('label', { for: inputId, text: 'Lead id' }),
    input,
    button,
    error,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const leadId = input.value.trim();
    error.textContent = '';
    if (!leadId) {
      error.textContent = 'Enter the lead id to link to.';
      input.focus();
      return;
    }
    button.disabled = true;
    const r = await api('POST', '/appointments:link', {
      provider: b.provider,
      providerAppointmentId: b.providerAppointmentId,
      leadId,
    });
    button.disabled = false;
    if (r.status === 401) return failed(r, 'link');
    if (r.status !== 200) {
      error.textContent = linkRefusal(r, leadId);
      input.focus();
      return;
    }
    noteWrite(r.data.position ?? r.position);
    announce(
      r.data.alreadyLinked ? `The booking was already linked to lead ${leadId}.` : `Booking linked to lead ${leadId}.`,
    );
    // The list is a read model a moment behind: the row says what happened instead of vanishing.
    const row = form.closest('tr');
    row.classList.add('linked');
    form.replaceWith(el('p', { class: 'ok' }, 'Linked to ', leadLink(leadId)));
    emit('changed', { view: false });
  });
  return { form, input };
}

function candidates(b, input) {
  if (b.candidateLeadIds.length === 0) return null;
  return el(
    'ul',
    { class: 'candidates', 'aria-label': 'Candidate leads' },
    ...b.candidateLeadIds.map((id) =>
      el(
        'li',
        {},
        leadLink(id),
        ' ',
        el('button', {
          type: 'button',
          class: 'small',
          text: 'Use',
          'aria-label': `Use lead ${id}`,
          onclick: () => {
            input.value = id;
            input.focus();
          },
        }),
      ),
    ),
  );
}

function bookingRow(b, index) {
  const { form, input } = linkForm(b, index);
  return el(
    'tr',
    { 'data-provider': b.provider, 'data-appointment-id': b.providerAppointmentId, 'data-reason': b.reason },
    el(
      'td',
      { 'data-label': 'Booking' },
      el('strong', { text: b.provider }),
      el('br'),
      el('span', { class: 'appt-id', text: b.providerAppointmentId }),
      el('br'),
      el('span', { class: 'muted', text: b.status }),
    ),
    el('td', { 'data-label': 'Meeting', text: when(b.startAt) }),
    el(
      'td',
      { 'data-label': 'Why unmatched' },
      el('p', { class: 'reason', text: reasonText(b.reason) }),
      candidates(b, input),
    ),
    el('td', { 'data-label': 'Link' }, form),
  );
}

export async function loadUnmatched() {
  const params = new URLSearchParams({ unmatched: 'true', limit: '50' });
  if (pager.cursor) params.set('cursor', pager.cursor);
  const r = await api('GET', `/appointments?${params}`);
  if (r.status !== 200) return failed(r, 'unmatched bookings');
  pager.next = r.data.nextCursor;
  fillTable('unmatched', 'unmatched-empty', r.data.items.map(bookingRow));
  $('unmatched-prev').disabled = !pager.hasPrev;
  $('unmatched-next').disabled = pager.next === null;
  return true;
}

export function wireUnmatched() {
  $('unmatched-next').addEventListener('click', () => pager.forward() && void loadUnmatched());
  $('unmatched-prev').addEventListener('click', () => pager.back() && void loadUnmatched());
}

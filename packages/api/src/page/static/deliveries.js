// Webhook deliveries and provider health on the overview, from GET …/providers/health: per provider
// the received / lost / recovered / pending deliveries, the last webhook and poll, and whether it is
// healthy (with its reasons, the Calendly subscription's state and a backfill recon started itself).
import { api } from './api.js';
import { $, el, when } from './dom.js';

const REASONS = {
  lost_share: 'many deliveries lost',
  webhooks_silent: 'no webhooks while polls find changes',
  subscription_disabled: 'webhook subscription disabled',
};

function status(p) {
  if (p.healthy) return el('span', { class: 'badge small', text: 'Healthy' });
  const why = p.reasons.map((r) => REASONS[r] ?? r).join('; ');
  const children = [el('span', { class: 'badge red small', text: 'Unhealthy' }), ` ${why}`];
  if (p.autoBackfill)
    children.push(
      el('br'),
      `Backfill started by recon ${when(p.autoBackfill.startedAt)} (${p.autoBackfill.status}), ${p.autoBackfill.from.slice(0, 10)} to ${p.autoBackfill.to.slice(0, 10)}`,
    );
  return el('span', {}, ...children);
}

function subscription(p) {
  const s = p.webhookSubscription;
  if (!s) return '—';
  return s.state === 'unknown' ? `unknown (${s.code})` : s.state;
}

const COLUMNS = [
  ['Provider', (p) => p.provider],
  // Second, so an unhealthy provider reads so without scrolling the table sideways.
  ['Status', status],
  ['Received', (p) => String(p.deliveries.received)],
  ['Lost', (p) => String(p.deliveries.lost)],
  ['Lost (24 h)', (p) => String(p.lostLast24h)],
  ['Recovered', (p) => String(p.deliveries.recovered)],
  ['Pending', (p) => String(p.deliveries.pending)],
  ['Last webhook', (p) => when(p.lastWebhookAt)],
  ['Last successful poll', (p) => when(p.lastSuccessfulPollAt)],
  ['Failed checks (1 h)', (p) => String(p.failuresLastHour)],
  ['Webhook subscription', subscription],
];

export async function loadDeliveries() {
  const box = $('deliveries');
  const r = await api('GET', '/providers/health');
  if (r.status !== 200 || !r.data) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const table = $('deliveries-table');
  const rows = r.data.providers.map((p) =>
    el(
      'tr',
      { class: p.healthy ? undefined : 'red', 'data-provider': p.provider },
      ...COLUMNS.map(([label, value]) => el('td', { 'data-label': label }, value(p))),
    ),
  );
  table.replaceChildren(
    el('thead', {}, el('tr', {}, ...COLUMNS.map(([label]) => el('th', { scope: 'col', text: label })))),
    el('tbody', {}, ...rows),
  );
  $('deliveries-empty').hidden = rows.length > 0;
}

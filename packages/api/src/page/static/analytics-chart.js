/* global uPlot, ResizeObserver */
// Label precision per day from GET …/analytics?groupBy=day (uPlot, served by recon): for the leads
// labelled each UTC day, the share a provider confirmed of those confirmed or contradicted. A day
// without a confirmed or contradicted lead has no point. With a text summary and a data table.
import { api } from './api.js';
import { failed } from './bus.js';
import { $, el } from './dom.js';

const ID = 'chart-precision';
const HEIGHT = 220;
let chart = null;
const toSeconds = (day) => Date.parse(`${day}T00:00:00.000Z`) / 1000;
const utcDay = (s) => new Date(s * 1000).toISOString().slice(0, 10);
const percent = (p) => (p === null ? '—' : `${Math.round(p * 100)} %`);

function unavailable(text) {
  $(ID).querySelector('.plot').replaceChildren();
  $(`${ID}-summary`).textContent = text;
}

function draw(groups) {
  const figure = $(ID);
  const box = figure.querySelector('.plot');
  const options = {
    width: Math.max(260, box.clientWidth),
    height: HEIGHT,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, y: { range: () => [0, 100] } },
    axes: [{}, { label: 'Precision (%)', size: 50 }],
    series: [
      { label: 'Day (UTC)', value: (_u, v) => (v === null ? '—' : utcDay(v)) },
      {
        label: 'Label precision',
        stroke: '#1a56db',
        width: 2,
        spanGaps: false,
        points: { show: true },
        value: (_u, v) => (v === null ? '—' : `${Math.round(v)} %`),
      },
    ],
    legend: { live: false },
  };
  const data = [
    groups.map((g) => toSeconds(g.key)),
    groups.map((g) => (g.precision === null ? null : g.precision * 100)),
  ];
  chart?.destroy();
  box.replaceChildren();
  chart = new uPlot(options, data, box);
  figure.dataset.points = String(data[0].length);
}

function summary(groups) {
  const confirmed = groups.reduce((a, g) => a + g.confirmed, 0);
  const contradicted = groups.reduce((a, g) => a + g.contradicted, 0);
  const leads = groups.reduce((a, g) => a + g.leads, 0);
  if (leads === 0) return 'No labelled leads in the last 30 days.';
  const overall = confirmed + contradicted === 0 ? null : confirmed / (confirmed + contradicted);
  return `${leads} labelled leads in the last 30 days: ${confirmed} confirmed by a provider, ${contradicted} contradicted (precision ${percent(overall)}).`;
}

function table(groups) {
  const head = ['Day', 'Labelled', 'Confirmed', 'Contradicted', 'Precision'];
  $(ID)
    .querySelector('table.data')
    .replaceChildren(
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col', text: h })))),
      el(
        'tbody',
        {},
        ...groups.map((g) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row', text: g.key }),
            ...[g.leads, g.confirmed, g.contradicted, percent(g.precision)].map((c) => el('td', { text: String(c) })),
          ),
        ),
      ),
    );
}

/** Loads the last 30 days' label precision per day and draws it (the overview must be visible). */
export async function loadPrecisionChart() {
  const r = await api('GET', '/analytics?groupBy=day');
  if (r.status === 404 || r.status === 405) return unavailable('Label precision is not available on this server.');
  if (r.status !== 200) return failed(r, 'label precision');
  $(`${ID}-summary`).textContent = summary(r.data.groups);
  table(r.data.groups);
  if (typeof uPlot === 'undefined') return unavailable('The chart library did not load; the data table still works.');
  draw(r.data.groups);
  return true;
}

/** The chart follows its box's width. */
export function wirePrecisionChart() {
  const resize = new ResizeObserver(() => {
    const width = $(ID).querySelector('.plot').clientWidth;
    if (chart && width > 0 && Math.abs(chart.width - width) > 2)
      chart.setSize({ width: Math.max(260, width), height: HEIGHT });
  });
  resize.observe($(ID));
}
